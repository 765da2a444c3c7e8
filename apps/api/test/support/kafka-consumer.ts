/**
 * Test fixture (a child process of kafka.faults.test.ts, killed with SIGKILL mid-batch): an app
 * instance in the 'once' group `worker`, printing "done <event id>" after each handled event.
 */
import { KafkaEventBus } from '../../src/adapters/event-bus/kafka';

const bus = new KafkaEventBus({
  brokers: (process.env.BUS_BROKERS as string).split(','),
  topic: process.env.BUS_TOPIC as string,
  groupPrefix: process.env.BUS_GROUP_PREFIX as string,
  instanceId: 'child',
  partitions: 4,
  replicationFactor: 1,
  sessionTimeoutMs: 3000,
  heartbeatIntervalMs: 500,
});
bus.subscribe('worker', 'once', async (e) => {
  await new Promise((resolve) => setTimeout(resolve, 15));
  process.stdout.write(`done ${e.id}\n`);
});
await bus.start();
process.stdout.write('ready\n');
