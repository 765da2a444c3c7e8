import { describe, expect, inject, it } from 'vitest';
import { contractDocs } from '../../../test/support/search-index';
import { ElasticsearchSearchIndex, MAPPING_VERSION } from './elasticsearch';
import { searchIndexContract } from './search-index.contract';

/**
 * Runs against the test run's OpenSearch 2.19 (tools/engines, started by test/global-setup.ts)
 * or SEARCH_URL. Skipped (loudly, by the global setup) only without Java/Maven, never in CI.
 */
const url = inject('searchUrl');
const prefix = () => `cb-test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

describe.skipIf(!url)('elasticsearch adapter on OpenSearch', () => {
  searchIndexContract('elasticsearch', async () => {
    const index = new ElasticsearchSearchIndex({ node: url, prefix: prefix(), requestTimeoutMs: 15_000 });
    const close = index.close.bind(index);
    index.close = async () => {
      await index.destroy();
      await close();
    };
    return index;
  });

  it('is rebuilt at start-up only when missing or built with another mapping', async () => {
    const name = prefix();
    const first = new ElasticsearchSearchIndex({ node: url, prefix: name });
    try {
      expect(await first.needsRebuild()).toBe(true);
      await first.rebuild(contractDocs());
      expect(await first.needsRebuild()).toBe(false);
      // Another instance (or a restart) sees the completed build and keeps it.
      const second = new ElasticsearchSearchIndex({ node: url, prefix: name });
      expect(await second.needsRebuild()).toBe(false);
      expect((await second.search({ now: 0, sort: 'relevance', page: 1, size: 10 })).total).toBe(5);
      await second.close();
      // A build recorded with another mapping version is not trusted.
      const raw = await fetch(`${url}/${name}-search-meta/_doc/build?refresh=true`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          index: 'x',
          mapping: `not-${MAPPING_VERSION}`,
          builtAt: new Date().toISOString(),
        }),
      });
      expect(raw.status, await raw.text()).toBeLessThan(300);
      expect(await first.needsRebuild()).toBe(true);
    } finally {
      await first.destroy();
      await first.close();
    }
  });
});
