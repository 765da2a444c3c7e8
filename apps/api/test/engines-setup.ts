import type { TestProject } from 'vitest/node';
import { KafkaBroker, missingPrerequisites, OpenSearchNode } from '../../../tools/engines/engines';
import { runSelects, startShared } from './shared-setup';

/**
 * The real Kafka and OpenSearch of a test run (tools/engines): started once, here, when the run
 * includes a file that needs them, and stopped at the end. Tests read `inject('kafkaBrokers')`
 * and `inject('searchUrl')` ('' = not available, with `enginesSkipReason` saying why).
 * KAFKA_BROKERS (and KAFKA_SASL_BROKERS, a SASL/PLAIN listener with tools/engines' user) /
 * SEARCH_URL point the suites at engines already running instead.
 * With CI=true they are required: a missing Java/Maven or a failed start fails the run.
 */
const NEEDS_ENGINES = [
  'apps/api/src/adapters/event-bus/kafka',
  'apps/api/src/adapters/search/elasticsearch',
  'apps/api/src/modules/search/relevance',
  'apps/api/src/modules/search/rebuild.opensearch',
  'apps/api/test/cluster-engines',
];

interface Started {
  brokers: string;
  saslBrokers: string;
  searchUrl: string;
  reason: string;
  stop(): Promise<void>;
}

export async function startTestEngines(
  project: TestProject,
  banner: (lines: string[]) => void,
): Promise<{ stop(): Promise<void> }> {
  const { started, release } = await startShared(
    'carebookEngines',
    () => start(project, banner),
    (s) => s.stop(),
  );
  project.provide('kafkaBrokers', started.brokers);
  project.provide('kafkaSaslBrokers', started.saslBrokers);
  project.provide('searchUrl', started.searchUrl);
  project.provide('enginesSkipReason', started.reason);
  return { stop: release };
}

async function start(project: TestProject, banner: (lines: string[]) => void): Promise<Started> {
  const external = { kafka: process.env.KAFKA_BROKERS ?? '', search: process.env.SEARCH_URL ?? '' };
  let reason = '';
  if (!runSelects(project, process.env.CAREBOOK_ENGINES, NEEDS_ENGINES))
    reason = 'no file of this run needs them';
  else if (!(external.kafka && external.search)) reason = missingPrerequisites();
  if (reason && process.env.CI && reason !== 'no file of this run needs them')
    throw new Error(`Kafka and OpenSearch are required when CI=true: ${reason}`);
  let kafka: KafkaBroker | undefined;
  let search: OpenSearchNode | undefined;
  if (!reason) {
    const log = (line: string) => console.log(`[engines] ${line}`);
    const started = await Promise.allSettled([
      external.kafka ? undefined : KafkaBroker.start({ log }),
      external.search ? undefined : OpenSearchNode.start({ log }),
    ]);
    kafka = started[0].status === 'fulfilled' ? started[0].value : undefined;
    search = started[1].status === 'fulfilled' ? started[1].value : undefined;
    const failures = started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
    if (failures.length > 0) {
      await Promise.all([kafka?.destroy(), search?.destroy()]);
      if (process.env.CI) throw new Error(`the engines did not start: ${failures.join('; ')}`);
      reason = `start failed: ${failures.join('; ')}`;
      kafka = undefined;
      search = undefined;
    }
  }
  const brokers = reason ? '' : external.kafka || (kafka?.brokers.join(',') ?? '');
  const saslBrokers = reason
    ? ''
    : external.kafka
      ? (process.env.KAFKA_SASL_BROKERS ?? '')
      : (kafka?.saslBrokers.join(',') ?? '');
  const searchUrl = reason ? '' : external.search || (search?.url ?? '');
  if (reason && reason !== 'no file of this run needs them')
    banner([
      'KAFKA AND OPENSEARCH ARE NOT AVAILABLE — THEIR SUITES ARE SKIPPED',
      reason,
      'install a Java 17 JDK and Maven (or set KAFKA_BROKERS and SEARCH_URL); CI=true makes this fatal',
    ]);
  return {
    brokers,
    saslBrokers,
    searchUrl,
    reason,
    async stop() {
      await Promise.all([kafka?.destroy(), search?.destroy()]);
      if (kafka || search) console.log('\n[engines] Kafka and OpenSearch stopped\n');
    },
  };
}
