import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app';
import { type FreshDatabases, mariadbAvailable } from '../../test/support/databases';
import { eventually } from '../../test/support/eventually';
import { type TwoBookingDatabases, twoBookingDatabases } from '../../test/support/two-booking-databases';
import type { BookingDatabase } from '../db/schema';
import { newId } from '../lib/ids';
import { toDbTime } from '../ports/clock';

const DAY = 86_400_000;

for (const dialect of ['sqlite', 'mariadb'] as const) {
  describe.skipIf(dialect === 'mariadb' && !mariadbAvailable())(
    `retention on booking shards [${dialect}]`,
    () => {
      let first: FreshDatabases;
      let second: FreshDatabases;
      let databases: TwoBookingDatabases;
      let t: TestApp;

      beforeAll(async () => {
        databases = await twoBookingDatabases(dialect);
        ({ first, second } = databases);
        // Only the jobs' schedules are faked: the databases, relays and polling keep real time.
        vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
        t = await buildTestApp(databases.dbs, { RETENTION_INTERVAL_MINUTES: '1' });
      });
      afterAll(async () => {
        await t?.app.close();
        vi.useRealTimers();
        await databases?.drop();
      });

      /** Old rows of each booking-database kind retention prunes: a relayed outbox row, a payment event, an idempotency key. */
      async function oldRows(db: Kysely<BookingDatabase>) {
        const ago = toDbTime(new Date(t.clock.now().getTime() - 400 * DAY));
        const ids = { outbox: newId(), event: `evt_${newId()}`, key: newId() };
        await db
          .insertInto('bookings_outbox')
          .values({
            id: ids.outbox,
            aggregate_type: 't',
            aggregate_id: newId(),
            event_type: 'e',
            payload: '{}',
            occurred_at: ago,
            published_at: ago,
            attempts: 0,
            last_error: null,
          })
          .execute();
        await db
          .insertInto('payment_events')
          .values({ event_id: ids.event, type: 't', booking_id: null, processed_at: ago })
          .execute();
        await db
          .insertInto('idempotency_keys')
          .values({
            user_id: newId(),
            idem_key: ids.key,
            request_hash: 'h',
            booking_id: newId(),
            response_status: 201,
            response_body: '{}',
            created_at: ago,
          })
          .execute();
        return async () => ({
          outbox: await db.selectFrom('bookings_outbox').select('id').where('id', '=', ids.outbox).execute(),
          events: await db
            .selectFrom('payment_events')
            .select('event_id')
            .where('event_id', '=', ids.event)
            .execute(),
          keys: await db
            .selectFrom('idempotency_keys')
            .select('idem_key')
            .where('idem_key', '=', ids.key)
            .execute(),
        });
      }

      it('prunes old rows on every booking database, each database under its own lease', async () => {
        const left = [await oldRows(first.dbs.bookings.db), await oldRows(second.dbs.bookings.db)];
        for (const rows of left) expect(await rows()).not.toEqual({ outbox: [], events: [], keys: [] });
        // One interval passes: each database's job takes its lease and prunes.
        vi.advanceTimersByTime(60_000);
        for (const rows of left)
          expect(
            await eventually(rows, (r) => r.outbox.length + r.events.length + r.keys.length === 0),
          ).toEqual({ outbox: [], events: [], keys: [] });
        const leases = await first.dbs.bookings.db
          .selectFrom('job_leases')
          .select('name')
          .where('name', 'like', 'retention%')
          .execute();
        expect(leases.map((l) => l.name).sort()).toEqual(['retention', 'retention:1']);
      });
    },
  );
}
