import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { TestClock } from '../../test/support/app';
import { describeEachDialect } from '../../test/support/databases';
import { RedisServerProcess } from '../../test/support/redis-server';
import { FAST } from '../../test/support/redis-streams';
import { RedisStreamsEventBus } from '../adapters/event-bus/redis-streams';
import { appendToOutbox } from '../lib/outbox';
import type { DomainEvent } from '../ports/event-bus';
import { OutboxRelay } from './outbox-relay';

const log = { warn: vi.fn(), error: vi.fn() };
const until = async (what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/**
 * Issue 14: events relayed to Redis Streams must survive Redis restarting without persistence
 * before the consumers read them. A Redis server of this test's own (no RDB, no AOF) is killed
 * and started again empty; the consumer is the e-mail notifier's, which cannot handle anything
 * while its mail server is down (it throws, so the entries stay unacknowledged) until after the
 * restart. Every event must then be handled, exactly once.
 */
const redisAvailable = RedisServerProcess.available();

describeEachDialect('outbox relay over a Redis stream that loses its data', (ctx) => {
  let redis: RedisServerProcess;
  beforeAll(async () => {
    if (redisAvailable) redis = await RedisServerProcess.start();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it.runIf(redisAvailable)(
    're-publishes what no consumer acknowledged: zero lost notifications',
    async () => {
      const db = ctx().dbs.bookings.db;
      const bus = (name: string) =>
        new RedisStreamsEventBus({ url: redis.url, instanceId: name, keyPrefix: 'crash:', ...FAST, log });
      // The consumer side: mail is down at first.
      const consumer = bus('consumer-1');
      let mailUp = false;
      // Like the notifier: deliveries may repeat (at least once), the mail goes out once per event.
      const handled = new Map<string, number>();
      const deliveries = new Map<string, number>();
      consumer.subscribe('notifications', 'once', async (e: DomainEvent) => {
        deliveries.set(e.id, (deliveries.get(e.id) ?? 0) + 1);
        if (!mailUp) throw new Error('SMTP 421: service not available');
        if (!handled.has(e.id)) handled.set(e.id, 1);
      });
      await consumer.start();
      const publisher = bus('publisher-1');
      const relay = new OutboxRelay(db, 'bookings_outbox', publisher, new TestClock(), log, {
        batchSize: 50,
        pollMs: 60_000,
        maxBackoffMs: 100,
      });

      // First a batch that is handled and acknowledged: the mark moves past it.
      mailUp = true;
      const early = await appendEvents(db, 5, 'early');
      await relay.drain();
      await until('the early events to be handled', () => early.every((id) => handled.get(id) === 1));
      await until('every consumer to acknowledge them', () => publisher.allAcknowledged());
      await relay.checkStream();

      // Then bookings whose notifications cannot be sent yet.
      mailUp = false;
      const late = await appendEvents(db, 20, 'late');
      await relay.drain();
      expect(await publisher.allAcknowledged()).toBe(false);
      await relay.checkStream();

      // Redis dies and comes back without its data.
      await redis.stop();
      await redis.resume();
      mailUp = true;
      // The relay's poll (drain) notices the new epoch and re-publishes.
      await until('every late event to be handled', async () => {
        await relay.drain().catch(() => 0);
        return late.every((id) => handled.get(id) === 1);
      });
      // Nothing lost, one mail each; what was acknowledged before the loss was not delivered again.
      expect(late.map((id) => handled.get(id))).toEqual(late.map(() => 1));
      expect(early.map((id) => deliveries.get(id))).toEqual(early.map(() => 1));
      expect(log.warn).toHaveBeenCalledWith(
        expect.objectContaining({ republished: late.length }),
        expect.stringContaining('lost its data'),
      );
      await relay.stop();
      await publisher.close();
      await consumer.close();
    },
  );
});

async function appendEvents(
  db: Parameters<typeof appendToOutbox>[0],
  n: number,
  tag: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const event = await appendToOutbox(
      db,
      {
        type: 'booking.status_changed',
        aggregateType: 'booking',
        aggregateId: `01a30000-0000-7000-8000-${String(i).padStart(12, '0')}`,
        occurredAt: new Date().toISOString(),
        payload: {
          bookingId: `01a30000-0000-7000-8000-${String(i).padStart(12, '0')}`,
          patientId: '01a30000-0000-7000-8000-0000000000aa',
          providerId: '01a30000-0000-7000-8000-0000000000bb',
          ownerId: '01a30000-0000-7000-8000-0000000000cc',
          from: null,
          to: 'pending',
          start: '2030-01-07T09:00:00.000Z',
          end: '2030-01-07T09:30:00.000Z',
          version: 1,
          reason: `${tag}-${i}`,
        },
      },
      'bookings_outbox',
    );
    ids.push(event.id);
  }
  return ids;
}
