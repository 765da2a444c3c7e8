import {
  buildEverydayQueries,
  DEMO_SEED,
  defaultRelevanceSet,
  generateProviders,
  RELEVANCE_SET_COUNT,
} from '@carebook/demo-data';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TestClock } from '../../../test/support/app';
import { type FreshDatabases, freshDatabases } from '../../../test/support/databases';
import { demoKeyToId } from '../../../test/support/search';
import { ElasticsearchSearchIndex } from '../../adapters/search/elasticsearch';
import { EmbeddedSearchIndex } from '../../adapters/search/embedded';
import { noBookingClaimsYet } from '../../ports/busy-time';
import type { SearchIndex } from '../../ports/search-index';
import { seedDemoListings } from '../providers/demo-listings';
import { ReviewRatingReader } from '../reviews/review-ratings';
import { interpretRequest } from './query-understanding';
import { rebuildSearchIndex } from './rebuild';
import { toIndexQuery } from './search-query';

const searchUrl = inject('searchUrl');
const engines: { name: string; create: () => SearchIndex & { destroy?(): Promise<void> }; skip: boolean }[] =
  [
    { name: 'embedded engine', create: () => new EmbeddedSearchIndex(), skip: false },
    {
      name: 'OpenSearch',
      create: () =>
        new ElasticsearchSearchIndex({
          node: searchUrl,
          prefix: `cb-relevance-${Date.now().toString(36)}`,
          requestTimeoutMs: 15_000,
        }),
      skip: !searchUrl,
    },
  ];

/**
 * The shipped relevance set over the demo data, through the true path: generated drafts seeded
 * into a fresh database, rebuilt into the index from the rows, queried as the API normalises.
 * The same set runs on the embedded engine and on OpenSearch (the run's node, tools/engines).
 */
describe.each(engines)('search relevance over the demo data: $name', ({ name, create, skip }) => {
  if (skip) return it.skip(`${name} is not available`);
  let dbs: FreshDatabases;
  const index = create();
  const clock = new TestClock();
  let keyToId: Map<string, string>;

  beforeAll(async () => {
    dbs = await freshDatabases('sqlite');
    const db = dbs.dbs.inventory.db;
    await seedDemoListings(db, { count: RELEVANCE_SET_COUNT, seed: DEMO_SEED, clock });
    const { count, ms } = await rebuildSearchIndex(
      db,
      index,
      noBookingClaimsYet,
      new ReviewRatingReader(dbs.dbs.bookings.db),
      clock,
    );
    expect(count).toBe(RELEVANCE_SET_COUNT);
    console.log(`search: rebuilt ${count} demo listings from the database in ${ms.toFixed(0)} ms`);
    keyToId = await demoKeyToId(db, RELEVANCE_SET_COUNT);
  }, 180_000);
  afterAll(async () => {
    await index.destroy?.();
    await index.close();
    await dbs?.drop();
  });

  it('holds recall@3 at 0.9 or better', async () => {
    const set = defaultRelevanceSet();
    expect(set.queries.length).toBeGreaterThanOrEqual(50);
    const perKind = new Map<string, { sum: number; n: number }>();
    const misses: string[] = [];
    let sum = 0;
    for (const q of set.queries) {
      const { request } = interpretRequest({ q: q.query, size: 3 });
      const r = await index.search(toIndexQuery(request, clock.now().getTime()));
      const top = new Set(r.hits.map((h) => h.doc.id));
      const expected = q.expectedKeys.map((k) => {
        const id = keyToId.get(k);
        if (!id) throw new Error(`unknown demo key ${k}`);
        return id;
      });
      const recall = expected.filter((id) => top.has(id)).length / expected.length;
      sum += recall;
      const k = perKind.get(q.kind) ?? { sum: 0, n: 0 };
      perKind.set(q.kind, { sum: k.sum + recall, n: k.n + 1 });
      if (recall < 1) misses.push(`  ${q.kind} "${q.query}": ${recall.toFixed(2)}`);
    }
    const recall = sum / set.queries.length;
    const kinds = [...perKind].map(([k, v]) => `${k} ${(v.sum / v.n).toFixed(3)} (${v.n})`).join(', ');
    console.log(
      `search relevance (${name}): recall@3 = ${recall.toFixed(3)} over ${set.queries.length} queries\n  ${kinds}` +
        (misses.length ? `\n misses:\n${misses.join('\n')}` : ''),
    );
    expect(recall).toBeGreaterThanOrEqual(0.9);
  }, 120_000);

  it('reads everyday phrasing ("dentist in london", "… near me", "… 10001") with recall@3 of 0.9 or better', async () => {
    const queries = buildEverydayQueries(generateProviders({ count: RELEVANCE_SET_COUNT, seed: DEMO_SEED }));
    expect(queries.length).toBeGreaterThanOrEqual(25);
    const forms = new Set(queries.map((q) => q.form));
    expect([...forms].sort()).toEqual(['filler', 'for-condition', 'in-city', 'near-me', 'postcode']);
    let sum = 0;
    const misses: string[] = [];
    for (const q of queries) {
      const { request, interpreted } = interpretRequest({
        q: q.query,
        size: 3,
        ...(q.at ? { lat: q.at.lat, lon: q.at.lon } : {}),
      });
      expect(interpreted?.location, q.query).not.toBeNull();
      const r = await index.search(toIndexQuery(request, clock.now().getTime()));
      const top = new Set(r.hits.map((h) => h.doc.id));
      const expected = q.expectedKeys.map((k) => keyToId.get(k));
      const recall = expected.filter((id) => id !== undefined && top.has(id)).length / expected.length;
      sum += recall;
      if (recall < 1) misses.push(`  ${q.form} "${q.query}": ${recall.toFixed(2)} (${q.note})`);
    }
    const recall = sum / queries.length;
    console.log(
      `everyday phrasing: recall@3 = ${recall.toFixed(3)} over ${queries.length} queries` +
        (misses.length ? `\n misses:\n${misses.join('\n')}` : ''),
    );
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });
});
