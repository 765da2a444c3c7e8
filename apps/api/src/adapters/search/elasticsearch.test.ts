import { describe } from 'vitest';
import { ElasticsearchSearchIndex } from './elasticsearch';
import { searchIndexContract } from './search-index.contract';

/** Runs only against a real cluster: SEARCH_URL=http://localhost:9200. CI here has none. */
const url = process.env.SEARCH_URL ?? '';

if (!url) {
  console.warn(
    '\n==============================================================================\n' +
      ' SKIPPED: the Elasticsearch/OpenSearch SearchIndex contract suite.\n' +
      ' Set SEARCH_URL=http://host:9200 to run it against a real cluster.\n' +
      ' (CI here has no cluster; only the embedded adapter is tested.)\n' +
      '==============================================================================\n',
  );
}

describe.skipIf(!url)('elasticsearch adapter', () => {
  searchIndexContract('elasticsearch', async () => {
    const index = new ElasticsearchSearchIndex({ node: url, prefix: `cb-test-${Date.now().toString(36)}` });
    const close = index.close.bind(index);
    index.close = async () => {
      await index.destroy();
      await close();
    };
    return index;
  });
});
