import { parseArgs } from 'node:util';
import { ElasticsearchSearchIndex } from '../../apps/api/src/adapters/search/elasticsearch';
import { EmbeddedSearchIndex } from '../../apps/api/src/adapters/search/embedded';
import { ConfigError, loadConfig, loadDotEnv, redactUrl } from '../../apps/api/src/config/config';
import { bookingDatabases } from '../../apps/api/src/container-bookings';
import { closeDatabases, openDatabases } from '../../apps/api/src/db/open-databases';
import { ClaimsBusyTimeReader } from '../../apps/api/src/modules/bookings/claims';
import { mergedBusyTime, mergedRatings } from '../../apps/api/src/modules/bookings/sharded-reads';
import { ReviewRatingReader } from '../../apps/api/src/modules/reviews/review-ratings';
import { rebuildSearchIndex } from '../../apps/api/src/modules/search/rebuild';
import { systemClock } from '../../apps/api/src/ports/clock';
import type { SearchIndex } from '../../apps/api/src/ports/search-index';

/**
 * `npm run reindex [-- --search-url http://host:9200]`: rebuilds the search index from every
 * published listing in the inventory database, with "next available" computed from the booking
 * claims of every booking database (so booked-out time is not offered). With SEARCH_URL (or --search-url) it fills a fresh
 * Elasticsearch/OpenSearch index and swaps the alias; without, it builds the embedded index in
 * this process — which the API also does at start-up — to check and time it.
 */
const usage = 'usage: npm run reindex [-- --search-url <url>] [--prefix <name>]';

loadDotEnv();
try {
  const { values } = parseArgs({ options: { 'search-url': { type: 'string' }, prefix: { type: 'string' } } });
  const searchUrl = values['search-url'] ?? process.env.SEARCH_URL ?? '';
  const config = loadConfig();
  const dbs = openDatabases(config);
  const index: SearchIndex = searchUrl
    ? new ElasticsearchSearchIndex({
        node: searchUrl,
        requestTimeoutMs: 30_000,
        ...(values.prefix ? { prefix: values.prefix } : {}),
      })
    : new EmbeddedSearchIndex();
  try {
    const heapBefore = process.memoryUsage();
    const bookingDbs = bookingDatabases(dbs).map((d) => d.db);
    const busy = mergedBusyTime(bookingDbs.map((db) => new ClaimsBusyTimeReader(db)));
    const { count, ms, replayed } = await rebuildSearchIndex(
      dbs.inventory.db,
      index,
      busy,
      mergedRatings(bookingDbs.map((db) => new ReviewRatingReader(db))),
      systemClock,
      {
        force: true,
        bookingsDbs: bookingDbs,
      },
    );
    const rate = count > 0 ? Math.round(count / (ms / 1000)) : 0;
    console.log(`Indexed ${count} published listings in ${(ms / 1000).toFixed(2)} s (${rate} listings/s)`);
    console.log(`  replayed ${replayed} listing(s) changed while it ran; next available from booking claims`);
    console.log(`  inventory ${redactUrl(config.databases.inventory.url)}`);
    if (searchUrl) console.log(`  search    ${redactUrl(searchUrl)}`);
    else {
      const after = process.memoryUsage();
      const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
      console.log(
        `  embedded index (the API builds its own at start-up): heap +${mb(after.heapUsed - heapBefore.heapUsed)}, ` +
          `buffers +${mb(after.arrayBuffers - heapBefore.arrayBuffers)}`,
      );
      const started = performance.now();
      const r = await index.search({
        q: 'dermatolgist',
        now: Date.now(),
        sort: 'relevance',
        page: 1,
        size: 10,
      });
      console.log(
        `  check: "dermatolgist" → ${r.total} results in ${(performance.now() - started).toFixed(1)} ms`,
      );
    }
  } finally {
    await index.close();
    await closeDatabases(dbs);
  }
} catch (err) {
  console.error(err instanceof ConfigError ? `${err.message}\n${usage}` : err);
  process.exit(1);
}
