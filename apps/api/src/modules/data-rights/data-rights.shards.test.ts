import type { AuthResult, Booking, DataExport } from '@carebook/contracts';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app';
import { at, book, type Ctx, type Practice, practice, WED_0900_NY } from '../../../test/support/bookings';
import { type FreshDatabases, mariadbAvailable } from '../../../test/support/databases';
import { eventually } from '../../../test/support/eventually';
import { bearer, expectProblem, PASSWORD, register } from '../../../test/support/http';
import { dumpAllTables } from '../../../test/support/table-dump';
import { type TwoBookingDatabases, twoBookingDatabases } from '../../../test/support/two-booking-databases';
import { SqlBookingArchive } from '../../adapters/archive/sql';
import type { BookingDatabase } from '../../db/schema';
import { bucketOf } from '../../db/shards/buckets';
import { ERASED_DISPLAY_NAME } from '../accounts/users.repository';

// Instances of one deployment share its key-encryption key.
const ENV = { ENCRYPTION_KEYS: `test-kek:${Buffer.alloc(32, 9).toString('base64')}` };

for (const dialect of ['sqlite', 'mariadb'] as const) {
  describe.skipIf(dialect === 'mariadb' && !mariadbAvailable())(
    `GDPR export and erasure on booking shards [${dialect}]`,
    () => {
      // Distinctive strings: none may survive the erasure on either database.
      const tag = Math.random().toString(36).slice(2, 8);
      const NAME = `Philomena Brackenbury${tag}`;
      const EMAIL = `pb.shards.${tag}@example.test`;
      const REVIEW = [`First review by Brackenbury${tag}`, `Second review by Brackenbury${tag}`];
      const HISTORY_REASON = `Moved for Brackenbury${tag}`;
      const SECRETS = [NAME, `Brackenbury${tag}`, EMAIL];
      const found = (text: string) => SECRETS.filter((s) => text.toLowerCase().includes(s.toLowerCase()));

      let first: FreshDatabases;
      let second: FreshDatabases;
      let databases: TwoBookingDatabases;
      let t: TestApp;
      let p: [Practice, Practice];
      let patient: AuthResult;
      let booked: [Booking, Booking];
      let archivedId: string;
      const db = (shard: 0 | 1): Kysely<BookingDatabase> => (shard === 0 ? first : second).dbs.bookings.db;

      beforeAll(async () => {
        databases = await twoBookingDatabases(dialect);
        ({ first, second } = databases);
        t = await buildTestApp(databases.dbs, ENV);
        const ctx = { ...t, db: first } as Ctx;
        const made: Practice[] = [];
        while (made.length < 2) {
          const next = await practice(ctx);
          if (made.every((m) => bucketOf(m.listing.id) !== bucketOf(next.listing.id))) made.push(next);
        }
        p = made as [Practice, Practice];
        // The first practice's bucket on database 0, the second's on database 1.
        await t.services.bucketMap.assign([bucketOf(p[0].listing.id)], 0);
        await t.services.bucketMap.assign([bucketOf(p[1].listing.id)], 1);

        patient = await register(t.app, { email: EMAIL, displayName: NAME });
        const made2: Booking[] = [];
        for (const [i, pr] of p.entries()) {
          const res = await book(t.app, patient.tokens.accessToken, {
            providerId: pr.listing.id,
            serviceId: pr.free,
            start: at(WED_0900_NY, 60 + i * 60),
          });
          expect(res.statusCode, res.body).toBe(201);
          made2.push(res.json() as Booking);
        }
        booked = made2 as [Booking, Booking];
        for (const [i, b] of booked.entries()) {
          const rows = await db(i as 0 | 1)
            .selectFrom('bookings')
            .select('id')
            .where('id', '=', b.id)
            .execute();
          expect(rows, `booking ${i} on database ${i}`).toHaveLength(1);
        }
        // The e-mails about both bookings are sent (the practices' copies name the patient).
        for (const s of t.services.bookingShards) await s.relay.drain();
        await eventually(
          () => first.dbs.inventory.db.selectFrom('dev_mailbox').select('id').execute(),
          (rows) => rows.length >= 4,
        );
        // A finished visit on database 1 archived there, with the patient's reason in its history,
        // and a review of each practice, written the way archival and reviews leave them.
        const row = await db(1)
          .selectFrom('bookings')
          .selectAll()
          .where('id', '=', booked[1].id)
          .executeTakeFirstOrThrow();
        archivedId = crypto.randomUUID();
        await new SqlBookingArchive(db(1)).put([
          {
            booking: {
              ...row,
              id: archivedId,
              status: 'completed',
              start_at: '2026-10-01T14:00:00.000Z',
              end_at: '2026-10-01T14:15:00.000Z',
            },
            history: [
              {
                id: crypto.randomUUID(),
                booking_id: archivedId,
                at: row.created_at,
                from_status: 'confirmed',
                to_status: 'completed',
                actor_role: 'patient',
                actor_id: patient.user.id,
                reason: HISTORY_REASON,
              },
            ],
          },
        ]);
        for (const [i, pr] of p.entries())
          await db(i as 0 | 1)
            .insertInto('reviews')
            .values({
              id: crypto.randomUUID(),
              booking_id: i === 1 ? archivedId : (booked[0] as Booking).id,
              provider_id: pr.listing.id,
              owner_id: pr.cast.owner.user.id,
              patient_id: patient.user.id,
              service_name: 'Repeat prescription',
              rating: 4 + i,
              text: REVIEW[i] as string,
              author: NAME,
              created_at: `2026-10-0${2 + i}T10:00:00.000Z`,
              reply_text: null,
              reply_by: null,
              replied_at: null,
              hidden_at: null,
              hidden_reason: null,
              hidden_by: null,
            })
            .execute();
      });
      afterAll(async () => {
        await t?.app.close();
        await databases?.drop();
      });

      it('exports the bookings, archived visits and reviews of every booking database', async () => {
        const res = await t.app.inject({
          url: '/api/v1/me/export',
          headers: bearer(patient.tokens.accessToken),
        });
        expect(res.statusCode, res.body).toBe(200);
        const data = res.json() as DataExport;
        expect(data.bookings.map((b) => b.id).sort()).toEqual(
          [booked[0].id, booked[1].id, archivedId].sort(),
        );
        expect(data.reviews.map((r) => [r.providerId, r.text])).toEqual([
          [p[0].listing.id, REVIEW[0]],
          [p[1].listing.id, REVIEW[1]],
        ]);
      });

      it('an erasure stopped between databases (one was being moved) finishes when repeated, leaving nothing on either', async () => {
        const h = bearer(patient.tokens.accessToken);
        // The patient cancels the visit on database 1, then its practice is fenced there as a
        // bucket move does: database 1 refuses every write of its rows, so the scrub stops there.
        const cancel = await t.app.inject({
          method: 'POST',
          url: `/api/v1/bookings/${booked[1].id}/cancel`,
          headers: h,
          payload: { reason: 'Cannot come' },
        });
        expect(cancel.statusCode, cancel.body).toBe(200);
        const before = [
          ...(await dumpAllTables(first.dbs.inventory.db, dialect)).values(),
          ...(await dumpAllTables(second.dbs.inventory.db, dialect)).values(),
        ].join('\n');
        expect(found(before)).toEqual(SECRETS);
        await db(1)
          .insertInto('moved_buckets')
          .values({ bucket: bucketOf(p[1].listing.id), moved_at: '2026-11-24' })
          .execute();
        const stopped = await t.app.inject({
          method: 'DELETE',
          url: '/api/v1/me',
          headers: h,
          payload: { password: PASSWORD },
        });
        expectProblem(stopped, 503, 'SERVICE_UNAVAILABLE');
        const reviewAuthors = async (shard: 0 | 1) =>
          (
            await db(shard)
              .selectFrom('reviews')
              .select(['author', 'text'])
              .where('patient_id', '=', patient.user.id)
              .execute()
          ).map((r) => [r.author, r.text]);
        // Database 0 is scrubbed, database 1 not yet.
        expect(await reviewAuthors(0)).toEqual([[ERASED_DISPLAY_NAME, '']]);
        expect(await reviewAuthors(1)).toEqual([[NAME, REVIEW[1]]]);

        // The move ends (its fence lifted here); the admin repeats the erasure, which finishes it.
        await db(1).deleteFrom('moved_buckets').execute();
        const again = await t.app.inject({
          method: 'DELETE',
          url: `/api/v1/admin/users/${patient.user.id}/data`,
          headers: bearer(p[0].cast.admin.tokens.accessToken),
        });
        expect(again.statusCode, again.body).toBe(200);

        for (const shard of [0, 1] as const) {
          const live = await db(shard)
            .selectFrom('bookings')
            .select(['reason_for_visit', 'status'])
            .where('patient_id', '=', patient.user.id)
            .execute();
          expect(live, `database ${shard}`).toEqual([{ reason_for_visit: '', status: 'cancelled' }]);
          expect(await reviewAuthors(shard)).toEqual([[ERASED_DISPLAY_NAME, '']]);
          expect(
            await db(shard)
              .selectFrom('idempotency_keys')
              .select('idem_key')
              .where('user_id', '=', patient.user.id)
              .execute(),
            `idempotency keys on database ${shard}`,
          ).toEqual([]);
        }
        const archived = await new SqlBookingArchive(db(1)).get(archivedId);
        expect(archived?.booking.reason_for_visit).toBe('');
        expect(archived?.history.map((x) => x.reason)).toEqual([null]);
        // Raw rows of every table of both databases: nothing of theirs is left.
        await t.services.relay.drain();
        for (const s of t.services.bookingShards) await s.relay.drain();
        for (const d of [first, second]) {
          const tables = await dumpAllTables(d.dbs.inventory.db, dialect);
          const leaks = [...tables].flatMap(([name, text]) => found(text).map((s) => `${name}: ${s}`));
          expect(leaks, d === first ? 'database 0' : 'database 1').toEqual([]);
        }
      });
    },
  );
}
