import { DEMO_SEED } from '@carebook/demo-data';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TestClock } from '../../../test/support/app';
import { describeEachDialect } from '../../../test/support/databases';
import { query } from '../../../test/support/search-index';
import { MemoryCache } from '../../adapters/cache/memory';
import { ElasticsearchSearchIndex } from '../../adapters/search/elasticsearch';
import { appendToOutbox } from '../../lib/outbox';
import { noBookingClaimsYet } from '../../ports/busy-time';
import type { SearchDoc, SearchIndex } from '../../ports/search-index';
import { seedDemoListings } from '../providers/demo-listings';
import { ReviewRatingReader } from '../reviews/review-ratings';
import { createSearchIndexer } from './indexer';
import { rebuildSearchIndex } from './rebuild';
import { SearchService } from './search.service';

/**
 * The search module on a shared OpenSearch index (the run's node, tools/engines): what an
 * instance start, a rebuild racing with the indexer, and the result cache do.
 */
const url = inject('searchUrl');

describe.skipIf(!url)('search on a shared OpenSearch index', () => {
  describeEachDialect('rebuild, replay and result cache', (db) => {
    const clock = new TestClock();
    let index: ElasticsearchSearchIndex;
    const ids: string[] = [];

    beforeAll(async () => {
      index = new ElasticsearchSearchIndex({
        node: url,
        prefix: `cb-rebuild-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`,
        requestTimeoutMs: 15_000,
      });
      const inventory = db().dbs.inventory.db;
      await seedDemoListings(inventory, { count: 20, seed: DEMO_SEED, clock });
      const rows = await inventory.selectFrom('providers').select('id').orderBy('id').execute();
      ids.push(...rows.map((r) => r.id));
    });
    afterAll(async () => {
      await index.destroy();
      await index.close();
    });

    const rename = async (id: string, name: string) => {
      const inventory = db().dbs.inventory.db;
      await inventory.transaction().execute(async (trx) => {
        await trx.updateTable('providers').set({ name }).where('id', '=', id).execute();
        const row = await trx
          .selectFrom('providers')
          .select(['owner_id', 'status', 'version'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        await appendToOutbox(trx, {
          type: 'provider.listing.updated',
          aggregateType: 'provider',
          aggregateId: id,
          occurredAt: clock.now().toISOString(),
          payload: { providerId: id, ownerId: row.owner_id, status: row.status, version: row.version },
        });
      });
    };

    it('builds at the first start only; a restart keeps the index', async () => {
      const inventory = db().dbs.inventory.db;
      const first = await rebuildSearchIndex(
        inventory,
        index,
        noBookingClaimsYet,
        new ReviewRatingReader(db().dbs.bookings.db),
        clock,
      );
      expect(first).toMatchObject({ skipped: false, count: 20 });
      const again = await rebuildSearchIndex(
        inventory,
        index,
        noBookingClaimsYet,
        new ReviewRatingReader(db().dbs.bookings.db),
        clock,
      );
      expect(again).toMatchObject({ skipped: true });
      const forced = await rebuildSearchIndex(
        inventory,
        index,
        noBookingClaimsYet,
        new ReviewRatingReader(db().dbs.bookings.db),
        clock,
        { force: true },
      );
      expect(forced).toMatchObject({ skipped: false, count: 20 });
    });

    it('keeps a change the indexer wrote to the old index while a rebuild ran', async () => {
      const inventory = db().dbs.inventory.db;
      const target = ids[3] as string;
      const indexer = createSearchIndexer({
        db: inventory,
        index,
        busy: noBookingClaimsYet,
        ratings: new ReviewRatingReader(db().dbs.bookings.db),
        clock,
      });
      // The rebuild reads every row first; then the listing changes and the indexer writes it to
      // the live (old) index, before the alias moves to the new one.
      const racing: SearchIndex = Object.create(index);
      racing.rebuild = async (docs) => {
        const all: SearchDoc[] = [];
        for await (const doc of docs) all.push(doc);
        await rename(target, 'Quintessa Raceforth');
        await indexer.refresh(target);
        expect((await index.search(query({ q: 'Raceforth' }))).hits.map((h) => h.doc.id)).toEqual([target]);
        return index.rebuild(all);
      };
      const r = await rebuildSearchIndex(
        inventory,
        racing,
        noBookingClaimsYet,
        new ReviewRatingReader(db().dbs.bookings.db),
        clock,
        { force: true },
      );
      expect(r.replayed).toBeGreaterThanOrEqual(1);
      expect((await index.search(query({ q: 'Raceforth' }))).hits.map((h) => h.doc.id)).toEqual([target]);
    });

    it('drops cached results showing a listing once the indexer re-indexed it', async () => {
      const inventory = db().dbs.inventory.db;
      const cache = new MemoryCache({ clock });
      const indexer = createSearchIndexer({
        db: inventory,
        index,
        busy: noBookingClaimsYet,
        ratings: new ReviewRatingReader(db().dbs.bookings.db),
        clock,
        cache,
      });
      const search = new SearchService({ index, cache, clock });
      const target = ids[5] as string;
      await rename(target, 'Ottoline Cachewell');
      await indexer.refresh(target);
      const before = await search.search({ q: 'Cachewell' });
      expect(before.results.map((r) => r.name)).toEqual(['Ottoline Cachewell']);
      // Another listing's change leaves this result cached…
      await indexer.refresh(ids[6] as string);
      await search.search({ q: 'Cachewell' });
      const hits = cache.stats().hits;
      expect(hits).toBeGreaterThanOrEqual(1);
      // …its own change drops it: the next search shows the new name at once, no TTL wait.
      await rename(target, 'Ottoline Cachewell-Brandt');
      await indexer.refresh(target);
      const after = await search.search({ q: 'Cachewell' });
      expect(after.results.map((r) => r.name)).toEqual(['Ottoline Cachewell-Brandt']);
      expect(index.cacheTtlSeconds).toBeLessThanOrEqual(5);
    });
  });
});
