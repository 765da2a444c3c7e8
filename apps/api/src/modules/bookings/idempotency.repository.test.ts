import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { IdempotencyRepository, type IdempotencyRow } from './idempotency.repository';

describeAppEachDialect('idempotency keys read together', (t) => {
  it('key reads of one turn share a statement and each gets its own row, compared as the database compares', async () => {
    const { db, services } = t();
    const bookingsDb = db.dbs.bookings.db;
    const repo = new IdempotencyRepository(bookingsDb, services.privacy);
    const [u1, u2] = [randomUUID(), randomUUID()];
    const row = (user_id: string, idem_key: string): IdempotencyRow => ({
      user_id,
      idem_key,
      request_hash: 'a'.repeat(64),
      booking_id: randomUUID(),
      response_status: null,
      response_body: null,
      created_at: '2026-11-24T12:00:00.000Z',
    });
    const stored = [row(u1, 'k-1'), row(u1, 'k-2'), row(u2, 'k-1'), row(u2, 'Mixed-Case')];
    await bookingsDb.insertInto('idempotency_keys').values(stored).execute();

    const asked: [string, string][] = [
      [u1, 'k-1'],
      [u1, 'k-2'],
      [u2, 'k-1'],
      [u1, 'absent'],
      [u2, 'k-2'], // another user's key
      [u2, 'Mixed-Case'],
      [u2, 'mixed-case'], // equal to a stored key only where the collation ignores case
      [randomUUID(), 'k-1'],
    ];
    const found = await Promise.all(asked.map(([u, k]) => repo.find(u, k)));
    const ignoresCase = db.dialect === 'mariadb'; // utf8mb4_unicode_ci; SQLite compares bytes
    expect(found.map((r) => r?.booking_id)).toEqual([
      stored[0]?.booking_id,
      stored[1]?.booking_id,
      stored[2]?.booking_id,
      undefined,
      undefined,
      stored[3]?.booking_id,
      ignoresCase ? stored[3]?.booking_id : undefined,
      undefined,
    ]);
    // Asked one by one, in separate turns, each answers the same.
    for (const [i, [u, k]] of asked.entries())
      expect((await repo.find(u, k))?.booking_id).toBe(found[i]?.booking_id);
  });
});
