import { KafkaBroker, OpenSearchNode } from './engines';

/**
 * `node --import tsx tools/engines/cli.ts`: starts Kafka and OpenSearch, prints where, runs until
 * Ctrl-C/SIGTERM (then stops both and removes their data). Handy to run the suites repeatedly
 * against one pair: KAFKA_BROKERS=… SEARCH_URL=… npx vitest run <file>.
 */
const log = (line: string) => console.log(line);
const [kafka, search] = await Promise.all([KafkaBroker.start({ log }), OpenSearchNode.start({ log })]);
console.log(`KAFKA_BROKERS=${kafka.brokers.join(',')} SEARCH_URL=${search.url}`);
const stop = async () => {
  await Promise.all([kafka.destroy(), search.destroy()]);
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
