import type { Kysely } from 'kysely';
import type { BookingDatabase, InventoryDatabase } from '../../db/schema';
import type { ArchivedBooking, BookingArchive } from '../../ports/archive';
import { sealStoredBooking } from '../bookings/sealed-fields';
import { archivePortBatches } from './archive-sealing';
import { type PhoneSealingDeps, phoneSealingSteps } from './phone-sealing';
import type { PrivacyService } from './privacy.service';
import {
  type Batch,
  byCursor,
  type LegacySealingProgress,
  sealInBatches,
  untilOnlySeen,
} from './sealing-batches';

/** Rows written before field encryption: their PHI columns hold plaintext (not a `v1.` envelope). */
const PLAIN = 'v1.%';

interface Deps extends PhoneSealingDeps {
  inventory: Kysely<InventoryDatabase>;
  bookings: Kysely<BookingDatabase>;
  privacy: Pick<PrivacyService, 'sealIfPlain' | 'encryptForPatient' | 'revealMany'>;
  /**
   * An archive other than the SQL table (DynamoDB): its records are read through the archive port
   * and legacy ones replaced by a sealed copy. The SQL archive is sealed in place by its own step.
   */
  archive?: BookingArchive;
}

interface Options {
  batchSize?: number;
  signal?: AbortSignal;
  onBatch?: (table: string, p: LegacySealingProgress) => void;
}

/**
 * Seals the PHI left in plaintext by databases created before field encryption, each value with
 * its patient's data key: bookings (reason for visit, payment client secret), booking history
 * reasons, stored idempotency responses, in-app notification text, the archive's records (SQL,
 * and DynamoDB when given), outbox payload reasons and SMS numbers (phone-sealing.ts). Batch by batch, each row by a conditional
 * update (a row changed meanwhile is left for the next run), while the API keeps serving: readers
 * take plaintext and sealed values alike. Interrupt it and run it again: it only finds what is
 * still plaintext.
 */
export async function sealLegacyPlaintext(d: Deps, options: Options = {}): Promise<LegacySealingProgress> {
  const n = options.batchSize ?? 500;
  const steps: [string, AsyncIterable<Batch>][] = [
    ['bookings', untilOnlySeen(() => bookingsBatch(d, n))],
    ['booking_history', untilOnlySeen(() => historyBatch(d, n))],
    ['idempotency_keys', untilOnlySeen(() => idempotencyBatch(d, n))],
    ['notifications', untilOnlySeen(() => notificationsBatch(d, n))],
    ['archived_bookings', byCursor((after) => archiveScan(d, after, n))],
    ['bookings_outbox', byCursor((after) => outboxScan(d, after, n))],
    ...phoneSealingSteps(d, n),
  ];
  if (d.archive) steps.push(['archive', archivePortBatches(d.archive, d.privacy, n)]);
  return sealInBatches(steps, options);
}

const updated = (r: { numUpdatedRows: bigint }) => Number(r.numUpdatedRows) === 1;

async function bookingsBatch(d: Deps, limit: number): Promise<Batch> {
  const rows = await d.bookings
    .selectFrom('bookings')
    .select(['id', 'patient_id', 'reason_for_visit', 'payment_client_secret'])
    .where((eb) =>
      eb.or([
        eb('reason_for_visit', 'not like', PLAIN),
        eb.and([eb('payment_client_secret', 'is not', null), eb('payment_client_secret', 'not like', PLAIN)]),
      ]),
    )
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    key: row.id,
    update: async () => {
      const reason = await d.privacy.sealIfPlain(row.patient_id, row.reason_for_visit);
      const secret = await d.privacy.sealIfPlain(row.patient_id, row.payment_client_secret);
      let q = d.bookings
        .updateTable('bookings')
        .set({ reason_for_visit: reason ?? '', payment_client_secret: secret })
        .where('id', '=', row.id)
        .where('reason_for_visit', '=', row.reason_for_visit);
      q =
        row.payment_client_secret === null
          ? q.where('payment_client_secret', 'is', null)
          : q.where('payment_client_secret', '=', row.payment_client_secret);
      return updated(await q.executeTakeFirst());
    },
  }));
}

async function historyBatch(d: Deps, limit: number): Promise<Batch> {
  const rows = await d.bookings
    .selectFrom('booking_history')
    .innerJoin('bookings', 'bookings.id', 'booking_history.booking_id')
    .select(['booking_history.id', 'booking_history.reason', 'bookings.patient_id'])
    .where('booking_history.reason', 'is not', null)
    .where('booking_history.reason', 'not like', PLAIN)
    .orderBy('booking_history.id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    key: row.id,
    update: async () =>
      updated(
        await d.bookings
          .updateTable('booking_history')
          .set({ reason: await d.privacy.sealIfPlain(row.patient_id, row.reason) })
          .where('id', '=', row.id)
          .where('reason', '=', row.reason as string)
          .executeTakeFirst(),
      ),
  }));
}

async function idempotencyBatch(d: Deps, limit: number): Promise<Batch> {
  const rows = await d.bookings
    .selectFrom('idempotency_keys')
    .select(['user_id', 'idem_key', 'response_body'])
    .where('response_body', 'is not', null)
    .where('response_body', 'not like', PLAIN)
    .orderBy('user_id')
    .orderBy('idem_key')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    key: `${row.user_id}:${row.idem_key}`,
    update: async () =>
      updated(
        await d.bookings
          .updateTable('idempotency_keys')
          .set({ response_body: await d.privacy.sealIfPlain(row.user_id, row.response_body) })
          .where('user_id', '=', row.user_id)
          .where('idem_key', '=', row.idem_key)
          .where('response_body', '=', row.response_body as string)
          .executeTakeFirst(),
      ),
  }));
}

async function notificationsBatch(d: Deps, limit: number): Promise<Batch> {
  const rows = await d.inventory
    .selectFrom('notifications')
    .select(['id', 'user_id', 'patient_id', 'title', 'body'])
    .where((eb) => eb.or([eb('title', 'not like', PLAIN), eb('body', 'not like', PLAIN)]))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    key: row.id,
    update: async () => {
      const owner = row.patient_id ?? row.user_id;
      return updated(
        await d.inventory
          .updateTable('notifications')
          .set({
            title: (await d.privacy.sealIfPlain(owner, row.title)) as string,
            body: (await d.privacy.sealIfPlain(owner, row.body)) as string,
          })
          .where('id', '=', row.id)
          .where('title', '=', row.title)
          .where('body', '=', row.body)
          .executeTakeFirst(),
      );
    },
  }));
}

/** The SQL archive's JSON records: every record is read (the PHI is inside the JSON), legacy ones rewritten. */
async function archiveScan(d: Deps, after: string, limit: number) {
  const rows = await d.bookings
    .selectFrom('archived_bookings')
    .select(['id', 'record'])
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit)
    .execute();
  const items: Batch = [];
  for (const row of rows) {
    const record = JSON.parse(row.record) as ArchivedBooking;
    const sealed = await sealStoredBooking(d.privacy, { row: record.booking, history: record.history });
    const next = JSON.stringify({ booking: sealed.row, history: sealed.history });
    if (next === JSON.stringify({ booking: record.booking, history: record.history })) continue;
    items.push({
      key: row.id,
      update: async () =>
        updated(
          await d.bookings
            .updateTable('archived_bookings')
            .set({ record: next })
            .where('id', '=', row.id)
            .where('record', '=', row.record)
            .executeTakeFirst(),
        ),
    });
  }
  return { items, last: rows.at(-1)?.id ?? null };
}

/** Booking events still in the outbox whose free-text reason is plaintext. */
async function outboxScan(d: Deps, after: string, limit: number) {
  const rows = await d.bookings
    .selectFrom('bookings_outbox')
    .select(['id', 'payload'])
    .where('aggregate_type', '=', 'booking')
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit)
    .execute();
  const items: Batch = [];
  for (const row of rows) {
    const payload = JSON.parse(row.payload) as { patientId?: unknown; reason?: unknown };
    if (typeof payload.patientId !== 'string' || typeof payload.reason !== 'string') continue;
    const reason = await d.privacy.sealIfPlain(payload.patientId, payload.reason);
    if (reason === payload.reason) continue;
    const next = JSON.stringify({ ...payload, reason });
    items.push({
      key: row.id,
      update: async () =>
        updated(
          await d.bookings
            .updateTable('bookings_outbox')
            .set({ payload: next })
            .where('id', '=', row.id)
            .where('payload', '=', row.payload)
            .executeTakeFirst(),
        ),
    });
  }
  return { items, last: rows.at(-1)?.id ?? null };
}
