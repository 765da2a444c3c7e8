import { DEMO_SEED, generateProviders, type ProviderDraft } from '@carebook/demo-data';
import { afterAll, beforeAll } from 'vitest';
import { EmbeddedSearchIndex } from '../../src/adapters/search/embedded';
import { buildApp } from '../../src/app';
import type { Databases } from '../../src/container';
import { seedDemoListings } from '../../src/modules/providers/demo-listings';
import type { SearchIndexer } from '../../src/modules/search/indexer';
import { rebuildSearchIndex } from '../../src/modules/search/rebuild';
import { type BusyTimeReader, noBookingClaimsYet } from '../../src/ports/busy-time';
import { type TestApp, TestClock, testConfig } from './app';
import { describeEachDialect, type FreshDatabases } from './databases';

export interface SearchTestApp extends TestApp {
  index: EmbeddedSearchIndex;
  indexer: SearchIndexer;
}

/**
 * A full app as the container wires it, with an embedded index the test can reach and an
 * optional busy-time reader.
 */
export async function buildSearchTestApp(
  dbs: Databases,
  busy: BusyTimeReader = noBookingClaimsYet,
): Promise<SearchTestApp> {
  const clock = new TestClock();
  const config = testConfig();
  const index = new EmbeddedSearchIndex();
  const { app, services } = await buildApp(config, { dbs, clock, busyTime: busy, searchIndex: index });
  await app.ready();
  return { app, services, clock, config, index, indexer: services.searchIndexer };
}

/** Per dialect: a fresh database, the app, and optionally `seed` demo listings indexed. */
export function describeSearchAppEachDialect(
  title: string,
  seed: number,
  body: (ctx: () => SearchTestApp & { db: FreshDatabases }) => void,
  busy: BusyTimeReader = noBookingClaimsYet,
): void {
  describeEachDialect(title, (db) => {
    let built: SearchTestApp | undefined;
    beforeAll(async () => {
      built = await buildSearchTestApp(db().dbs, busy);
      const inventory = db().dbs.inventory.db;
      if (seed > 0) {
        await seedDemoListings(inventory, { count: seed, seed: DEMO_SEED, clock: built.clock });
        await rebuildSearchIndex(inventory, built.index, busy, built.services.ratings, built.clock);
      }
    });
    afterAll(async () => {
      await built?.app.close();
    });
    body(() => {
      if (!built) throw new Error('app not built');
      return { ...built, db: db() };
    });
  });
}

/**
 * Demo key → listing id in a database seeded by `seedDemoListings` (a fresh one: ids are
 * time-ordered UUIDv7 minted in draft order). Checks each pairing by name and city.
 */
export async function demoKeyToId(
  db: Databases['inventory']['db'],
  count: number,
): Promise<Map<string, string>> {
  const drafts: ProviderDraft[] = generateProviders({ count, seed: DEMO_SEED });
  const rows = await db.selectFrom('providers').select(['id', 'name', 'city']).orderBy('id').execute();
  if (rows.length !== drafts.length)
    throw new Error(`expected ${drafts.length} listings, found ${rows.length}`);
  const out = new Map<string, string>();
  drafts.forEach((d, i) => {
    const row = rows[i];
    if (!row || row.name !== d.name || row.city !== d.address.city)
      throw new Error(`listing ${i} is not draft ${d.key}`);
    out.set(d.key, row.id);
  });
  return out;
}
