import { Surroundings } from '../../apps/api/test/support/processes';
import { KafkaBroker, missingPrerequisites, OpenSearchNode } from '../engines/engines';

/**
 * `npm run local-engines`: stand-ins for the production profile's S3, SMTP and Stripe on one
 * machine, so the production profile can be tried next to the local MariaDB and Redis: s3rver
 * (the S3 API, files under a temporary directory), an SMTP server that prints each message's
 * recipients and subject, and a server that answers in Stripe's wire format. Prints the
 * environment lines to use; runs until Ctrl-C. Not for real deployments: real ones point these
 * variables at S3, an SMTP relay and Stripe.
 */
// Apache Kafka 3.9 and OpenSearch 2.19 from Maven Central (tools/engines), unless --no-engines.
const missing = process.argv.includes('--no-engines') ? 'skipped (--no-engines)' : missingPrerequisites();
if (missing) console.warn(`Kafka and OpenSearch not started: ${missing}`);
const log = (line: string) => console.log(line);
const [kafka, opensearch] = missing
  ? [undefined, undefined]
  : await Promise.all([KafkaBroker.start({ log }), OpenSearchNode.start({ log, heap: '1g' })]);
const engines = await Surroundings.start({
  onMail: (mail) => {
    const subject = /^Subject: (.*)$/m.exec(mail.raw)?.[1] ?? '(no subject)';
    console.log(`mail to ${mail.to.join(', ')}: ${subject}`);
  },
});
console.log(`Local stand-ins are running. Add these to the production environment:

BLOB_STORE=s3
S3_BUCKET=${engines.s3.bucket}
S3_ENDPOINT=${engines.s3.endpoint}
S3_FORCE_PATH_STYLE=true
AWS_ACCESS_KEY_ID=S3RVER
AWS_SECRET_ACCESS_KEY=S3RVER
SMTP_URL=${engines.smtp.url}
PAYMENTS=stripe
STRIPE_SECRET_KEY=${engines.stripe.secretKey}
STRIPE_WEBHOOK_SECRET=${engines.stripe.webhookSecret}
STRIPE_PUBLISHABLE_KEY=pk_test_fake_carebook
STRIPE_API_URL=http://127.0.0.1:${engines.stripe.port}
${
  kafka && opensearch
    ? `EVENT_BUS_URL=kafka://${kafka.brokers.join(',')}
SEARCH_URL=${opensearch.url}
`
    : ''
}`);
const stop = async () => {
  await Promise.all([engines.stop(), kafka?.destroy(), opensearch?.destroy()]);
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
