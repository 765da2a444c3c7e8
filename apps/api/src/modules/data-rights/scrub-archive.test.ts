import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archivedRecord, dynamoTestArchive, startDynalite } from '../../../test/support/archive';
import { describeEachDialect } from '../../../test/support/databases';
import { SqlBookingArchive } from '../../adapters/archive/sql';
import type { BookingArchive } from '../../ports/archive';
import { scrubArchive } from './scrub-archive';

const REASON = 'Sealed-away reason 7f3a';
const NOW = new Date('2026-11-24T12:00:00.000Z');

/** Two of the patient's archived visits, one of somebody else's; the patient gave a reason in one history. */
async function seed(archive: BookingArchive, patientId: string) {
  const mine = [0, 1].map((i) =>
    archivedRecord({
      patient_id: patientId,
      reason_for_visit: `${REASON} ${i}`,
      start_at: `2026-01-1${i}T09:00:00.000Z`,
    }),
  );
  const first = mine[0];
  if (first)
    first.history = first.history.map((h, i) =>
      i === 0 ? { ...h, actor_id: patientId, reason: REASON } : h,
    );
  const other = archivedRecord({ reason_for_visit: 'Someone else entirely' });
  await archive.put([...mine, other]);
  return { mine, other };
}

function scrubs(make: () => Promise<BookingArchive>) {
  it("rewrites the patient's archived bookings without their words; the facts and other patients stay", async () => {
    const archive = await make();
    const patientId = randomUUID();
    const { mine, other } = await seed(archive, patientId);
    expect(await scrubArchive(archive, patientId, NOW)).toBe(2);
    for (const before of mine) {
      const after = await archive.get(before.booking.id);
      expect(after?.booking).toMatchObject({
        reason_for_visit: '',
        status: before.booking.status,
        start_at: before.booking.start_at,
        price_cents: before.booking.price_cents,
        version: before.booking.version + 1,
      });
      expect(JSON.stringify(after)).not.toContain(REASON);
      // The system's reasons (not the patient's words) stay.
      expect(after?.history.map((h) => (h.actor_id === patientId ? null : h.reason))).toEqual(
        before.history.map((h) => (h.actor_id === patientId ? null : h.reason)),
      );
    }
    expect(await archive.get(other.booking.id)).toStrictEqual(other);
    // Again: nothing left to do.
    expect(await scrubArchive(archive, patientId, NOW)).toBe(0);
  });
}

describeEachDialect('scrubArchive on the SQL archive', (db) => {
  scrubs(async () => new SqlBookingArchive(db().dbs.bookings.db));
});

describe('scrubArchive on DynamoDB (dynalite)', () => {
  let server: Awaited<ReturnType<typeof startDynalite>>;
  const opened: BookingArchive[] = [];
  beforeAll(async () => {
    server = await startDynalite();
  });
  afterAll(async () => {
    await Promise.all(opened.map((a) => a.close()));
    await server.stop();
  });
  scrubs(async () => {
    const archive = await dynamoTestArchive(server.endpoint);
    opened.push(archive);
    return archive;
  });
});
