import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { archivedRecord } from '../../../test/support/archive';
import type { ArchivedBooking, ArchiveFilter, BookingArchive } from '../../ports/archive';

export interface ArchiveHarness {
  /** An archive that holds nothing. */
  archive: BookingArchive;
  dispose(): Promise<void>;
}

const at = (day: number, hour = 9) =>
  new Date(Date.UTC(2026, 0, day, hour)).toISOString().replace(/\.\d{3}Z$/, '.000Z');
const ids = (records: ArchivedBooking[]) => records.map((r) => r.booking.id);

/** Walks a listing page by page with the cursor; returns every id in the order served. */
async function walk(
  archive: BookingArchive,
  filter: ArchiveFilter,
  order: 'asc' | 'desc',
  limit: number,
): Promise<string[]> {
  const out: string[] = [];
  let after: { start: string; id: string } | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await archive.list(filter, { order, limit, ...(after ? { after } : {}) });
    expect(page.length).toBeLessThanOrEqual(limit);
    out.push(...ids(page));
    const last = page.at(-1);
    if (page.length < limit || !last) return out;
    after = { start: last.booking.start_at, id: last.booking.id };
  }
  throw new Error('listing did not end');
}

/** The one contract every BookingArchive adapter passes. */
export function archiveContract(name: string, factory: () => Promise<ArchiveHarness>): void {
  describe(`BookingArchive contract [${name}]`, () => {
    let harness: ArchiveHarness;
    let archive: BookingArchive;
    beforeEach(async () => {
      harness = await factory();
      archive = harness.archive;
    });
    afterEach(() => harness.dispose());

    it('round-trips a booking with its history exactly; an unknown id is null', async () => {
      const record = archivedRecord(
        { status: 'cancelled', payment_status: 'refunded', refunded_cents: 4500 },
        5,
      );
      await archive.put([record]);
      expect(await archive.get(record.booking.id)).toStrictEqual(record);
      expect(await archive.get(randomUUID())).toBeNull();
    });

    it('is idempotent: the same booking twice is one record', async () => {
      const record = archivedRecord();
      await archive.put([record]);
      await archive.put([record, record]);
      expect(await archive.count({})).toBe(1);
      expect(ids(await archive.list({}, { order: 'desc', limit: 10 }))).toEqual([record.booking.id]);
    });

    it('keeps the newest copy: later updated_at, then higher version; an older copy never overwrites', async () => {
      const old = archivedRecord({ updated_at: at(11), version: 4 });
      const newer = { ...old, booking: { ...old.booking, updated_at: at(12), payment_status: 'refunded' } };
      const newest = { ...newer, booking: { ...newer.booking, version: 5, refunded_cents: 4500 } };
      await archive.put([newer]);
      await archive.put([old]);
      expect(await archive.get(old.booking.id)).toStrictEqual(newer);
      await archive.put([newest]);
      await archive.put([newer]);
      expect(await archive.get(old.booking.id)).toStrictEqual(newest);
      expect(await archive.count({})).toBe(1);
    });

    it("lists a patient's history newest first and oldest first, page by page, and counts it", async () => {
      const patient = randomUUID();
      const mine = [3, 1, 7, 5, 2, 6, 4].map((day) =>
        archivedRecord({ patient_id: patient, start_at: at(day) }),
      );
      const others = [1, 4].map((day) => archivedRecord({ start_at: at(day) }));
      await archive.put([...mine, ...others]);
      const newestFirst = [...mine].sort((a, b) => (a.booking.start_at < b.booking.start_at ? 1 : -1));
      expect(await walk(archive, { patientId: patient }, 'desc', 3)).toEqual(ids(newestFirst));
      expect(await walk(archive, { patientId: patient }, 'asc', 2)).toEqual(ids(newestFirst).reverse());
      expect(await archive.count({ patientId: patient })).toBe(7);
      const first = await archive.list({ patientId: patient }, { order: 'desc', limit: 1 });
      expect(first[0]).toStrictEqual(newestFirst[0]);
    });

    it('orders bookings that start at the same time by id, so pages never skip or repeat', async () => {
      const patient = randomUUID();
      const same = Array.from({ length: 5 }, () => archivedRecord({ patient_id: patient, start_at: at(3) }));
      await archive.put(same);
      const byId = ids(same).sort();
      expect(await walk(archive, { patientId: patient }, 'asc', 2)).toEqual(byId);
      expect(await walk(archive, { patientId: patient }, 'desc', 2)).toEqual([...byId].reverse());
    });

    it("lists a practice's history across its listings, and one listing's, with status and time filters", async () => {
      const owner = randomUUID();
      const [listingA, listingB] = [randomUUID(), randomUUID()];
      const records = [
        archivedRecord({ owner_id: owner, provider_id: listingA, start_at: at(1), status: 'completed' }),
        archivedRecord({ owner_id: owner, provider_id: listingB, start_at: at(2), status: 'cancelled' }),
        archivedRecord({ owner_id: owner, provider_id: listingA, start_at: at(3), status: 'no_show' }),
        archivedRecord({ owner_id: owner, provider_id: listingA, start_at: at(4), status: 'cancelled' }),
        archivedRecord({ owner_id: owner, provider_id: listingB, start_at: at(5), status: 'expired' }),
        archivedRecord({ start_at: at(3), status: 'cancelled' }),
      ];
      await archive.put(records);
      const r = ids(records);
      expect(await walk(archive, { ownerId: owner }, 'desc', 10)).toEqual([r[4], r[3], r[2], r[1], r[0]]);
      expect(await walk(archive, { ownerId: owner, providerId: listingA }, 'desc', 1)).toEqual([
        r[3],
        r[2],
        r[0],
      ]);
      expect(await walk(archive, { providerId: listingB }, 'asc', 1)).toEqual([r[1], r[4]]);
      expect(await walk(archive, { ownerId: owner, status: 'cancelled' }, 'asc', 1)).toEqual([r[1], r[3]]);
      expect(await walk(archive, { ownerId: owner, startFrom: at(2), startBefore: at(4) }, 'asc', 5)).toEqual(
        [r[1], r[2]],
      );
      expect(await archive.count({ ownerId: owner })).toBe(5);
      expect(await archive.count({ ownerId: owner, providerId: listingB })).toBe(2);
      expect(await archive.count({ ownerId: owner, status: 'cancelled', startBefore: at(4) })).toBe(1);
      expect(await archive.count({ status: 'cancelled' })).toBe(3);
    });

    it('fills a page even when the filter skips most bookings on the way', async () => {
      const owner = randomUUID();
      const records = Array.from({ length: 40 }, (_, i) =>
        archivedRecord({
          owner_id: owner,
          start_at: at(1 + (i % 28), i % 24),
          status: i % 10 === 0 ? 'no_show' : 'completed',
        }),
      );
      await archive.put(records);
      const page = await archive.list({ ownerId: owner, status: 'no_show' }, { order: 'asc', limit: 3 });
      expect(page).toHaveLength(3);
      expect(page.every((p) => p.booking.status === 'no_show')).toBe(true);
      expect(await walk(archive, { ownerId: owner, status: 'no_show' }, 'asc', 3)).toHaveLength(4);
    });

    it('lists everything (the admin view) in start order across patients and practices', async () => {
      const records = [5, 2, 9, 1].map((day) => archivedRecord({ start_at: at(day) }));
      await archive.put(records);
      const sorted = [...records].sort((a, b) => (a.booking.start_at < b.booking.start_at ? -1 : 1));
      expect(await walk(archive, {}, 'asc', 3)).toEqual(ids(sorted));
      expect(await archive.count({})).toBe(4);
      expect(
        await archive.list(
          {},
          { order: 'desc', limit: 2, after: { start: at(9), id: records[2]?.booking.id ?? '' } },
        ),
      ).toHaveLength(2);
    });

    it('stores a batch larger than any internal chunk in one call', async () => {
      const patient = randomUUID();
      const records = Array.from({ length: 30 }, (_, i) =>
        archivedRecord({
          patient_id: patient,
          start_at: at(1, 0).replace('T00', `T${String(i % 24).padStart(2, '0')}`),
        }),
      );
      await archive.put(records);
      expect(await archive.count({ patientId: patient })).toBe(30);
      expect(new Set(await walk(archive, { patientId: patient }, 'desc', 7)).size).toBe(30);
    });
  });
}
