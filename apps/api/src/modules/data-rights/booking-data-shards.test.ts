import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FreshDatabases, mariadbAvailable } from '../../../test/support/databases';
import { type TwoBookingDatabases, twoBookingDatabases } from '../../../test/support/two-booking-databases';
import type { BookingDatabase } from '../../db/schema';
import { bucketOf } from '../../db/shards/buckets';
import { newId } from '../../lib/ids';
import { ERASED_DISPLAY_NAME } from '../accounts/users.repository';
import { BookingDataRepository } from './booking-data.repository';
import { BookingDataShards } from './booking-data-shards';

const NOW = new Date('2026-11-24T12:00:00.000Z');

for (const dialect of ['sqlite', 'mariadb'] as const) {
  describe.skipIf(dialect === 'mariadb' && !mariadbAvailable())(
    `BookingDataShards.scrub [${dialect}]`,
    () => {
      let first: FreshDatabases;
      let second: FreshDatabases;
      let databases: TwoBookingDatabases;
      const db = (shard: 0 | 1): Kysely<BookingDatabase> => (shard === 0 ? first : second).dbs.bookings.db;

      beforeAll(async () => {
        databases = await twoBookingDatabases(dialect);
        ({ first, second } = databases);
      });
      afterAll(async () => {
        await databases?.drop();
      });

      it('scrubs once more after a bucket move ends mid-pass, so rows it copied to a database already passed are scrubbed too', async () => {
        const patientId = newId();
        const providerId = newId();
        const review = {
          id: newId(),
          booking_id: newId(),
          provider_id: providerId,
          owner_id: newId(),
          patient_id: patientId,
          service_name: 'Check-up',
          rating: 5,
          text: 'Written by the patient',
          author: 'Their Name',
          created_at: '2026-10-02 10:00:00.000',
          reply_text: null,
          reply_by: null,
          replied_at: null,
          hidden_at: null,
          hidden_reason: null,
          hidden_by: null,
        };
        // Their practice is being moved from database 1 to database 0: fenced on database 1.
        await db(1).insertInto('reviews').values(review).execute();
        await db(1)
          .insertInto('moved_buckets')
          .values({ bucket: bucketOf(providerId), moved_at: '2026-11-24' })
          .execute();
        // The move's last steps happen right before database 1's second scrub, after database 0 was
        // passed: the row is copied there and deleted from database 1 (which is then no longer refused).
        let scrubsOfSecond = 0;
        const second1 = new BookingDataRepository(db(1));
        const scrubSecond = second1.scrub.bind(second1);
        second1.scrub = async (id, at) => {
          if (++scrubsOfSecond === 2) {
            await db(0).insertInto('reviews').values(review).execute();
            await db(1).deleteFrom('reviews').where('id', '=', review.id).execute();
          }
          return scrubSecond(id, at);
        };
        const shards = new BookingDataShards(
          [{ data: new BookingDataRepository(db(0)) }, { data: second1 }],
          async () => {},
        );
        await shards.scrub(patientId, NOW);
        expect(scrubsOfSecond).toBeGreaterThanOrEqual(2);
        const rows = await db(0)
          .selectFrom('reviews')
          .select(['author', 'text'])
          .where('patient_id', '=', patientId)
          .execute();
        expect(rows).toEqual([{ author: ERASED_DISPLAY_NAME, text: '' }]);
      });
    },
  );
}
