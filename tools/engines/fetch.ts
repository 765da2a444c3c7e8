import { missingPrerequisites, resolveClasspath } from './engines';

/**
 * `node --import tsx tools/engines/fetch.ts`: resolves Kafka and OpenSearch from Maven Central
 * into ~/.m2 (what `.ci/run` does before `npm test`, so the test run only starts them).
 */
const missing = missingPrerequisites();
if (missing) {
  console.error(`cannot fetch the engines: ${missing}`);
  process.exit(1);
}
for (const engine of ['kafka', 'opensearch'] as const) {
  const cp = resolveClasspath(engine, console.log);
  console.log(`${engine}: ${cp.split(':').length} jars`);
}
