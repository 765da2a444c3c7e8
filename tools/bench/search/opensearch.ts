/**
 * OpenSearch as a peer in the search benchmark: the API's own Elasticsearch/OpenSearch adapter
 * (apps/api/src/adapters/search/elasticsearch.ts, the production code path) against a node from
 * tools/engines. Bulk-indexed through the adapter's rebuild; queried with the same text, geo,
 * filters and facets the embedded engine gets. Memory is the node's JVM heap growth over the
 * build plus the index's size on disk, read from the node's stats (a separate process).
 */
import type { ProviderDoc } from '@carebook/search-engine';
import { ElasticsearchSearchIndex } from '../../../apps/api/src/adapters/search/elasticsearch';
import type { SearchDoc } from '../../../apps/api/src/ports/search-index';
import type { BenchEngine } from './engines';
import type { BenchQuery } from './queries';

interface NodeStats {
  nodes: Record<string, { jvm: { mem: { heap_used_in_bytes: number } } }>;
}

export class OpenSearchBench implements BenchEngine {
  private docs: SearchDoc[] = [];
  private readonly index: ElasticsearchSearchIndex;
  private readonly prefix = `bench-${Date.now().toString(36)}`;

  constructor(private readonly url: string) {
    this.index = new ElasticsearchSearchIndex({ node: url, prefix: this.prefix, requestTimeoutMs: 60_000 });
  }

  prepare(docs: ProviderDoc[]): void {
    this.docs = docs.map((d) => ({ ...d, photoThumbnail: null, rating: d.rating ?? null }));
  }

  async build(): Promise<void> {
    await this.index.rebuild(this.docs);
    this.docs = [];
  }

  async query(q: BenchQuery): Promise<string[]> {
    const r = await this.index.search({
      q: q.text,
      now: Date.now(),
      sort: q.geo ? 'distance' : 'relevance',
      page: 1,
      size: 10,
      ...(q.geo ? { geo: q.geo } : {}),
      ...(q.filters ? { filters: q.filters } : {}),
    });
    return r.hits.map((h) => h.doc.id);
  }

  /** JVM heap in use on the node, and the bytes the index's store takes. */
  async memory(): Promise<{ heap: number; external: number }> {
    const stats = (await (await fetch(`${this.url}/_nodes/stats/jvm`)).json()) as NodeStats;
    const heap = Object.values(stats.nodes).reduce((n, node) => n + node.jvm.mem.heap_used_in_bytes, 0);
    const store = (await (await fetch(`${this.url}/${this.prefix}-providers/_stats/store`)).json()) as {
      _all?: { total?: { store?: { size_in_bytes?: number } } };
    };
    return { heap, external: store._all?.total?.store?.size_in_bytes ?? 0 };
  }

  async destroy(): Promise<void> {
    await this.index.destroy();
    await this.index.close();
  }
}
