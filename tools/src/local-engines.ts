import { Surroundings } from '../../apps/api/test/support/processes';

/**
 * `npm run local-engines`: stand-ins for the production profile's S3, SMTP and Stripe on one
 * machine, so the production profile can be tried next to the local MariaDB and Redis: s3rver
 * (the S3 API, files under a temporary directory), an SMTP server that prints each message's
 * recipients and subject, and a server that answers in Stripe's wire format. Prints the
 * environment lines to use; runs until Ctrl-C. Not for real deployments: real ones point these
 * variables at S3, an SMTP relay and Stripe.
 */
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
`);
const stop = async () => {
  await engines.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
