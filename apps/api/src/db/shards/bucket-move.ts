import type { Kysely } from 'kysely';
import { toDbTime } from '../../ports/clock';
import type { BookingDatabase, InventoryDatabase } from '../schema';
import type { BucketMap } from './bucket-map';
import { bucketOf } from './buckets';

// Generic row access over the booking tables (the mover copies rows as they are).
type Row = Record<string, unknown>;
type AnyDb = Kysely<Record<string, Row>>;

const CHUNK = 200;

/**
 * The booking tables that hold a bucket's rows, how a row belongs to the bucket, and the key that
 * names it. The outbox is not moved: its rows are events already written, relayed from the
 * database they were written on. The simulated payment provider's tables stay on the first.
 */
const TABLES: { table: string; key: string[]; by: 'provider' | 'booking' | 'series' | 'entry' }[] = [
  { table: 'bookings', key: ['id'], by: 'provider' },
  { table: 'booking_claims', key: ['provider_id', 'unit'], by: 'provider' },
  { table: 'booking_history', key: ['id'], by: 'booking' },
  { table: 'idempotency_keys', key: ['user_id', 'idem_key'], by: 'booking' },
  { table: 'payment_events', key: ['event_id'], by: 'booking' },
  { table: 'payment_starts', key: ['booking_id'], by: 'booking' },
  { table: 'archived_bookings', key: ['id'], by: 'provider' },
  { table: 'booking_archival', key: ['booking_id'], by: 'booking' },
  { table: 'booking_series', key: ['id'], by: 'provider' },
  { table: 'booking_series_occurrences', key: ['series_id', 'occurrence'], by: 'series' },
  { table: 'waitlist_entries', key: ['id'], by: 'provider' },
  { table: 'waitlist_offers', key: ['id'], by: 'entry' },
  { table: 'reviews', key: ['id'], by: 'provider' },
];

export interface MoveReport {
  bucket: number;
  from: number;
  to: number;
  providers: number;
  /** Rows per table moved (each verified on the target before the source's copy was deleted). */
  rows: Record<string, number>;
  /** Rows written while the bucket was fenced (the catch-up), and how long writes were refused. */
  caughtUp: number;
  fencedMs: number;
}

export interface MoveDeps {
  inventory: Kysely<InventoryDatabase>;
  shards: Kysely<BookingDatabase>[];
  map: BucketMap;
  now: () => Date;
  /** How long instances may keep an old map (BucketMap's TTL); the mover waits it out. */
  mapTtlMs: number;
  log?: (line: string) => void;
}

/**
 * Moves one bucket to another booking database (`npm run shards -- move`): copy while writes go
 * on; fence (the source's `moved_providers` triggers refuse the bucket's writes, which callers
 * retry); catch up (write only what changed since the copy); switch the map; verify the counts;
 * delete from the source. The fence rows stay on the source, so an instance with an old map is
 * refused there and retries on the new database. A booking made during the move is on exactly
 * one database at every moment a reader can see it.
 */
export async function moveBucket(d: MoveDeps, bucket: number, to: number): Promise<MoveReport> {
  const log = d.log ?? (() => {});
  d.map.forget();
  const from = await d.map.shardOf(bucket);
  const source = d.shards[from] as unknown as AnyDb;
  const target = d.shards[to] as unknown as AnyDb | undefined;
  if (!target) throw new RangeError(`database ${to} is not one of the ${d.shards.length} booking databases`);
  if (from === to) return { bucket, from, to, providers: 0, rows: {}, caughtUp: 0, fencedMs: 0 };

  let providers = await providersOf(d.inventory, source, bucket);
  // A bucket that once left the target has tombstones there; they would refuse the copy.
  await inChunks(providers, (ids) =>
    target.deleteFrom('moved_providers').where('provider_id', 'in', ids).execute(),
  );
  log(`copying bucket ${bucket} (${providers.length} providers) from database ${from} to ${to}`);
  await sync(source, target, providers);

  const fencedAt = Date.now();
  await fence(source, providers, bucket, d.now());
  log('fenced; catching up');
  let caughtUp = await sync(source, target, providers);
  await d.map.assign([bucket], to);
  // From here writes go to the target (an instance with an older map is refused once and retries).
  const fencedMs = Date.now() - fencedAt;
  // Instances keep their map up to its TTL: wait it out, then take providers that appeared
  // in the bucket meanwhile (a new listing's first booking, made on the source).
  await new Promise((r) => setTimeout(r, d.mapTtlMs + 250));
  const late = (await providersOf(d.inventory, source, bucket)).filter((p) => !providers.includes(p));
  if (late.length) {
    await fence(source, late, bucket, d.now());
    providers = [...providers, ...late];
    caughtUp += await sync(source, target, providers);
  }

  const rows: Record<string, number> = {};
  const [sourceRows, targetRows] = await Promise.all([
    bucketRows(source, providers),
    bucketRows(target, providers),
  ]);
  // The source is frozen by the fence; the target may already hold newer writes (the switch is
  // done), so every source row must be there by its key.
  for (const { table, key } of TABLES) {
    const id = (r: Row) => key.map((k) => String(r[k])).join('\u0000');
    const there = new Set((targetRows.get(table) ?? []).map(id));
    const s = sourceRows.get(table) ?? [];
    const lost = s.filter((r) => !there.has(id(r))).length;
    if (lost > 0)
      throw new Error(
        `verify failed: ${lost} of ${s.length} ${table} rows of database ${from} missing on ${to}`,
      );
    rows[table] = s.length;
  }
  log('verified; deleting from the source');
  await source.transaction().execute(async (trx) => {
    for (const { table, key } of [...TABLES].reverse())
      for (const row of sourceRows.get(table) ?? [])
        await whereKey(trx.deleteFrom(table), key, row).execute();
  });
  return { bucket, from, to, providers: providers.length, rows, caughtUp, fencedMs };
}

/** Providers of the bucket: every listing in the inventory and any provider with rows on the source. */
async function providersOf(
  inventory: Kysely<InventoryDatabase>,
  source: AnyDb,
  bucket: number,
): Promise<string[]> {
  const listed = await inventory.selectFrom('providers').select('id').execute();
  const booked = await source.selectFrom('bookings').select('provider_id').distinct().execute();
  const ids = new Set([...listed.map((r) => r.id), ...booked.map((r) => String(r.provider_id))]);
  return [...ids].filter((id) => bucketOf(id) === bucket).sort();
}

async function fence(db: AnyDb, providers: string[], bucket: number, now: Date): Promise<void> {
  const at = toDbTime(now);
  await db.transaction().execute(async (trx) => {
    for (const id of providers) {
      const there = await trx
        .selectFrom('moved_providers')
        .select('provider_id')
        .where('provider_id', '=', id)
        .executeTakeFirst();
      if (!there)
        await trx.insertInto('moved_providers').values({ provider_id: id, bucket, moved_at: at }).execute();
    }
  });
}

/** Makes the target's bucket rows equal the source's; returns how many rows it wrote or deleted. */
async function sync(source: AnyDb, target: AnyDb, providers: string[]): Promise<number> {
  const [want, have] = await Promise.all([bucketRows(source, providers), bucketRows(target, providers)]);
  let written = 0;
  await target.transaction().execute(async (trx) => {
    for (const { table, key } of TABLES) {
      const id = (r: Row) => key.map((k) => String(r[k])).join('\u0000');
      const theirs = new Map((have.get(table) ?? []).map((r) => [id(r), r]));
      const ours = new Map((want.get(table) ?? []).map((r) => [id(r), r]));
      for (const [k, row] of theirs)
        if (!ours.has(k) || !same(ours.get(k) as Row, row)) {
          await whereKey(trx.deleteFrom(table), key, row).execute();
          written++;
        }
      const missing = [...ours].filter(([k, row]) => !theirs.has(k) || !same(theirs.get(k) as Row, row));
      for (let i = 0; i < missing.length; i += CHUNK)
        await trx
          .insertInto(table)
          .values(missing.slice(i, i + CHUNK).map(([, r]) => r))
          .execute();
      written += missing.length;
    }
  });
  return written;
}

/** Every row of the bucket's providers, per table. */
async function bucketRows(db: AnyDb, providers: string[]): Promise<Map<string, Row[]>> {
  const out = new Map<string, Row[]>();
  const select = async (table: string, column: string, values: string[]) => {
    const rows: Row[] = [];
    await inChunks(values, async (chunk) => {
      rows.push(...(await db.selectFrom(table).selectAll().where(column, 'in', chunk).execute()));
    });
    return rows;
  };
  for (const t of TABLES.filter((t) => t.by === 'provider'))
    out.set(t.table, await select(t.table, 'provider_id', providers));
  const bookingIds = [...(out.get('bookings') ?? []), ...(out.get('archived_bookings') ?? [])].map((r) =>
    String(r.id),
  );
  for (const t of TABLES.filter((t) => t.by === 'booking'))
    out.set(t.table, await select(t.table, 'booking_id', bookingIds));
  const seriesIds = (out.get('booking_series') ?? []).map((r) => String(r.id));
  out.set('booking_series_occurrences', await select('booking_series_occurrences', 'series_id', seriesIds));
  const entryIds = (out.get('waitlist_entries') ?? []).map((r) => String(r.id));
  out.set('waitlist_offers', await select('waitlist_offers', 'entry_id', entryIds));
  return out;
}

function whereKey<Q extends { where(c: string, op: '=', v: unknown): Q }>(q: Q, key: string[], row: Row): Q {
  return key.reduce((acc, k) => acc.where(k, '=', row[k]), q);
}

const same = (a: Row, b: Row) =>
  JSON.stringify(a, Object.keys(a).sort()) === JSON.stringify(b, Object.keys(b).sort());

async function inChunks(values: string[], run: (chunk: string[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < values.length; i += 500) await run(values.slice(i, i + 500));
}
