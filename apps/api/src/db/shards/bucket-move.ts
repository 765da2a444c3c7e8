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
  /** Called after each step, before the next begins (tests act between the steps). */
  afterStep?: (step: MoveStep) => Promise<void> | void;
}

export type MoveStep = 'copied' | 'fenced' | 'switched';

/**
 * Moves one bucket to another booking database (`npm run shards -- move`, docs/scaling.md):
 * copy while writes go on; fence the bucket on the source (the `moved_buckets` triggers refuse
 * every write of a provider in the bucket, known or new, which callers retry); catch up (the
 * source is frozen, the target not yet written: make it equal) and verify; switch the map; wait
 * out the map's TTL; copy to the target only rows it lacks that appeared on the source after the
 * catch-up (a safety net — never a delete or an overwrite: the target is the truth from the
 * switch on); delete from the source. The fence row stays on the source, so an instance with an
 * old map is refused there and retries on the new database. A failure before the switch lifts
 * the fence; the source keeps the bucket.
 */
export async function moveBucket(d: MoveDeps, bucket: number, to: number): Promise<MoveReport> {
  const log = d.log ?? (() => {});
  d.map.forget();
  const from = await d.map.shardOf(bucket);
  const source = d.shards[from] as unknown as AnyDb;
  const target = d.shards[to] as unknown as AnyDb | undefined;
  if (!target) throw new RangeError(`database ${to} is not one of the ${d.shards.length} booking databases`);
  if (from === to) return { bucket, from, to, providers: 0, rows: {}, caughtUp: 0, fencedMs: 0 };

  // A bucket that once left the target is fenced there; the fence would refuse the copy.
  await target.deleteFrom('moved_buckets').where('bucket', '=', bucket).execute();
  const copied = await providersOf(d.inventory, source, bucket);
  log(`copying bucket ${bucket} (${copied.length} providers) from database ${from} to ${to}`);
  await sync(source, target, copied);
  await d.afterStep?.('copied');

  const fencedAt = Date.now();
  await fence(source, bucket, d.now());
  log('fenced; catching up');
  let providers: string[];
  let frozen: Map<string, Row[]>;
  let caughtUp: number;
  try {
    await d.afterStep?.('fenced');
    // Nothing of the bucket can be written on the source any more, so this list is final: it
    // holds the providers that joined the bucket during the copy.
    providers = union(copied, await providersOf(d.inventory, source, bucket));
    ({ written: caughtUp, source: frozen } = await sync(source, target, providers));
    verifyEqual(frozen, await bucketRows(target, providers), from, to);
    await d.map.assign([bucket], to);
  } catch (err) {
    await liftFenceUnlessSwitched(d, source, bucket, from).catch((lift) =>
      log(`the fence of bucket ${bucket} on database ${from} could not be lifted: ${String(lift)}`),
    );
    throw err;
  }
  // From here writes go to the target (an instance with an older map is refused once and retries).
  const fencedMs = Date.now() - fencedAt;
  log('switched');
  await d.afterStep?.('switched');
  // Instances keep their map up to its TTL: wait it out before reading the source a last time.
  await new Promise((r) => setTimeout(r, d.mapTtlMs + 250));
  const last = await lateCatchUp(
    source,
    target,
    union(providers, await providersOf(d.inventory, source, bucket)),
    frozen,
    from,
  );
  caughtUp += last.inserted;

  const rows: Record<string, number> = {};
  for (const { table } of TABLES) rows[table] = last.source.get(table)?.length ?? 0;
  log('verified; deleting from the source');
  await source.transaction().execute(async (trx) => {
    for (const { table, key } of [...TABLES].reverse())
      for (const row of last.source.get(table) ?? [])
        await whereKey(trx.deleteFrom(table), key, row).execute();
  });
  return { bucket, from, to, providers: providers.length, rows, caughtUp, fencedMs };
}

/**
 * Providers of the bucket: every listing in the inventory, and any provider with rows on the
 * source (a listing deleted since, its bookings, series, waitlist entries or reviews remaining).
 */
async function providersOf(
  inventory: Kysely<InventoryDatabase>,
  source: AnyDb,
  bucket: number,
): Promise<string[]> {
  const ids = new Set((await inventory.selectFrom('providers').select('id').execute()).map((r) => r.id));
  for (const { table } of TABLES.filter((t) => t.by === 'provider'))
    for (const r of await source.selectFrom(table).select('provider_id').distinct().execute())
      ids.add(String(r.provider_id));
  return [...ids].filter((id) => bucketOf(id) === bucket).sort();
}

const union = (a: string[], b: string[]) => [...new Set([...a, ...b])].sort();

async function fence(db: AnyDb, bucket: number, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const there = await trx
      .selectFrom('moved_buckets')
      .select('bucket')
      .where('bucket', '=', bucket)
      .executeTakeFirst();
    if (!there)
      await trx
        .insertInto('moved_buckets')
        .values({ bucket, moved_at: toDbTime(now) })
        .execute();
  });
}

/** After a failed step before the switch, the source serves the bucket again (unless the map moved). */
async function liftFenceUnlessSwitched(d: MoveDeps, source: AnyDb, bucket: number, from: number) {
  d.map.forget();
  if ((await d.map.shardOf(bucket)) === from)
    await source.deleteFrom('moved_buckets').where('bucket', '=', bucket).execute();
}

/**
 * Makes the target's bucket rows equal the source's (before the switch only: nobody else writes
 * the bucket on the target yet); returns how many rows it wrote or deleted, and the source's rows.
 */
async function sync(
  source: AnyDb,
  target: AnyDb,
  providers: string[],
): Promise<{ written: number; source: Map<string, Row[]> }> {
  const [want, have] = await Promise.all([bucketRows(source, providers), bucketRows(target, providers)]);
  let written = 0;
  await target.transaction().execute(async (trx) => {
    for (const { table, key } of TABLES) {
      const theirs = byKey(have.get(table), key);
      const ours = byKey(want.get(table), key);
      for (const [k, row] of theirs)
        if (!ours.has(k) || !same(ours.get(k) as Row, row)) {
          await whereKey(trx.deleteFrom(table), key, row).execute();
          written++;
        }
      const missing = [...ours.values()].filter((row) => {
        const t = theirs.get(keyOf(row, key));
        return !t || !same(t, row);
      });
      await insertAll(trx, table, missing);
      written += missing.length;
    }
  });
  return { written, source: want };
}

/** Before the switch: the target holds exactly the fenced source's rows. */
function verifyEqual(source: Map<string, Row[]>, target: Map<string, Row[]>, from: number, to: number) {
  for (const { table, key } of TABLES) {
    const there = byKey(target.get(table), key);
    const s = source.get(table) ?? [];
    const wrong = s.filter((r) => !same(there.get(keyOf(r, key)) ?? {}, r)).length;
    if (wrong > 0 || there.size !== s.length)
      throw new Error(
        `verify failed: ${table} on database ${to} does not match database ${from} (${wrong} of ${s.length} rows missing or different, ${there.size} there)`,
      );
  }
}

/**
 * After the switch and the map's TTL: rows that appeared on the source after the catch-up (none
 * while the fence holds; a safety net) are inserted on the target when it lacks their key. Never
 * a delete or an overwrite — the target has served the bucket since the switch (new bookings,
 * claims released by a cancellation must stay as they are). A row the source changed after the
 * catch-up cannot be reconciled safely: the move stops and keeps the source's rows.
 */
async function lateCatchUp(
  source: AnyDb,
  target: AnyDb,
  providers: string[],
  frozen: Map<string, Row[]>,
  from: number,
): Promise<{ inserted: number; source: Map<string, Row[]> }> {
  const [now, there] = await Promise.all([bucketRows(source, providers), bucketRows(target, providers)]);
  let inserted = 0;
  await target.transaction().execute(async (trx) => {
    for (const { table, key } of TABLES) {
      const before = byKey(frozen.get(table), key);
      const onTarget = byKey(there.get(table), key);
      const missing: Row[] = [];
      for (const row of now.get(table) ?? []) {
        const k = keyOf(row, key);
        const old = before.get(k);
        if (old && !same(old, row))
          throw new Error(
            `verify failed: a ${table} row changed on database ${from} after the catch-up; the bucket is switched, its rows are kept on ${from}`,
          );
        if (!old && !onTarget.has(k)) missing.push(row);
      }
      await insertAll(trx, table, missing);
      inserted += missing.length;
    }
  });
  return { inserted, source: now };
}

async function insertAll(trx: AnyDb, table: string, rows: Row[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK)
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + CHUNK))
      .execute();
}

const keyOf = (row: Row, key: string[]) => key.map((k) => String(row[k])).join('\u0000');
const byKey = (rows: Row[] | undefined, key: string[]) =>
  new Map((rows ?? []).map((r) => [keyOf(r, key), r]));

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
