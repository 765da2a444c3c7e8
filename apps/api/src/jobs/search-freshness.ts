import type { FastifyBaseLogger } from 'fastify';
import type { SearchIndexer } from '../modules/search/indexer';
import type { Clock } from '../ports/clock';
import type { SearchIndex } from '../ports/search-index';

const BATCH = 200;

/**
 * A provider's "next available" slot is computed when its listing or bookings change; as time
 * passes that slot slips into the past. This job re-computes every listing whose next slot has
 * gone by, so "available today" and soonest-first stay true.
 */
export async function refreshPassedSlots(
  index: SearchIndex,
  indexer: SearchIndexer,
  clock: Clock,
): Promise<number> {
  const now = clock.now().getTime();
  let refreshed = 0;
  // Refreshed listings move out of the filter, so the first page is always the next batch.
  for (let round = 0; round < 50; round++) {
    const result = await index.search({
      filters: { availableBefore: now },
      now,
      sort: 'soonest',
      page: 1,
      size: BATCH,
    });
    const stale = result.hits.filter((h) => h.nextAvailableAt !== null && h.nextAvailableAt <= now);
    if (stale.length === 0) break;
    for (const hit of stale) await indexer.refresh(hit.doc.id);
    refreshed += stale.length;
    if (stale.length < BATCH) break;
  }
  return refreshed;
}

export function startSearchFreshness(
  d: { index: SearchIndex; indexer: SearchIndexer; clock: Clock; log: Pick<FastifyBaseLogger, 'error'> },
  intervalMs: number,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    refreshPassedSlots(d.index, d.indexer, d.clock)
      .catch((err) => d.log.error({ err }, 'search freshness refresh failed; will retry'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
