/**
 * Test fixture (run as a child process by redis-streams.test.ts, then killed with SIGKILL): an app
 * instance whose handlers take an event and never finish, so its entries stay pending.
 */
import { RedisStreamsEventBus } from '../../src/adapters/event-bus/redis-streams';
import { FAST } from './redis-streams';

const bus = new RedisStreamsEventBus({
  url: process.env.BUS_URL as string,
  keyPrefix: process.env.BUS_PREFIX as string,
  instanceId: process.env.BUS_INSTANCE as string,
  ...FAST,
});
const never = new Promise<void>(() => {});
bus.subscribe('mailer', 'once', async (e) => {
  process.stdout.write(`got ${e.id}\n`);
  await never;
});
bus.subscribe('hub', 'broadcast', async () => {});
await bus.start();
process.stdout.write('ready\n');
