import { haversineKm, type Suggestion } from '@carebook/search-engine';
import { Client, errors, type estypes } from '@elastic/elasticsearch';
import type { IndexQuery, IndexResult, SearchDoc, SearchIndex } from '../../ports/search-index';
import {
  type EsSource,
  fromSource,
  INDEX_SETTINGS,
  MAPPINGS,
  phrasesByCode,
  toSource,
} from './elasticsearch-mapping';
import { FACETS, parseHighlights, searchRequest } from './elasticsearch-query';
import { vocabularySynonyms } from './embedded';
import { completeFacets } from './facets';

export interface ElasticsearchIndexOptions {
  /** e.g. http://localhost:9200 (credentials in the URL are honoured). */
  node: string;
  /** Names: `<prefix>-providers` (an alias over `<prefix>-providers-<time>`) and `<prefix>-search-meta`. */
  prefix?: string;
  /** Bounds every request (and the search itself, server-side). Default 2000 ms. */
  requestTimeoutMs?: number;
  /** Documents per bulk request during a rebuild. Default 1000. */
  bulkSize?: number;
  client?: Client;
}

type Agg = {
  doc_count: number;
  values: { buckets: { key: string | number; key_as_string?: string; doc_count: number }[] };
  missing?: { doc_count: number };
};

/** Case-insensitive Lucene regex for "starts with `prefix`". */
const prefixRegex = (prefix: string) =>
  `${[...prefix].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : `\\${c}`)).join('')}.*`;

/**
 * Elasticsearch / OpenSearch adapter (official client, ES 8 API). The live index is an alias, so
 * a rebuild fills a fresh index and swaps the alias atomically. The version is a counter document
 * bumped after each mutation is searchable, shared by every API instance.
 */
export class ElasticsearchSearchIndex implements SearchIndex {
  private readonly client: Client;
  private readonly alias: string;
  private readonly meta: string;
  private readonly timeoutMs: number;
  private readonly bulkSize: number;
  private readonly phrases = phrasesByCode(vocabularySynonyms());
  private ready: Promise<void> | undefined;

  constructor(options: ElasticsearchIndexOptions) {
    const prefix = options.prefix ?? 'carebook';
    this.alias = `${prefix}-providers`;
    this.meta = `${prefix}-search-meta`;
    this.timeoutMs = options.requestTimeoutMs ?? 2000;
    this.bulkSize = options.bulkSize ?? 1000;
    this.client =
      options.client ?? new Client({ node: options.node, requestTimeout: this.timeoutMs, maxRetries: 1 });
  }

  private ensure(): Promise<void> {
    this.ready ??= (async () => {
      if (!(await this.client.indices.exists({ index: this.meta })))
        await this.client.indices.create({ index: this.meta }, { ignore: [400] });
      if (!(await this.client.indices.existsAlias({ name: this.alias }))) {
        const index = await this.createIndex();
        await this.client.indices.putAlias({ index, name: this.alias });
      }
    })().catch((err) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  private async createIndex(): Promise<string> {
    const index = `${this.alias}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    await this.client.indices.create({ index, settings: INDEX_SETTINGS, mappings: MAPPINGS });
    return index;
  }

  private async bump(): Promise<void> {
    await this.client.update({
      index: this.meta,
      id: 'version',
      script: { source: 'ctx._source.v += 1' },
      upsert: { v: 1 },
      retry_on_conflict: 10,
      refresh: true,
    });
  }

  async upsert(doc: SearchDoc): Promise<void> {
    await this.ensure();
    await this.client.index({
      index: this.alias,
      id: doc.id,
      document: toSource(doc, this.phrases),
      refresh: 'wait_for',
    });
    await this.bump();
  }

  async delete(id: string): Promise<void> {
    await this.ensure();
    const r = await this.client.delete({ index: this.alias, id, refresh: 'wait_for' }, { ignore: [404] });
    if (r.result === 'deleted') await this.bump();
  }

  async rebuild(docs: AsyncIterable<SearchDoc> | Iterable<SearchDoc>): Promise<{ count: number }> {
    await this.ensure();
    const index = await this.createIndex();
    await this.client.indices.putSettings({ index, settings: { refresh_interval: '-1' } });
    let count = 0;
    let ops: unknown[] = [];
    const flush = async () => {
      if (ops.length === 0) return;
      const r = await this.client.bulk({ operations: ops }, { requestTimeout: 120_000 });
      if (r.errors) {
        const first = r.items.find((i) => i.index?.error)?.index?.error;
        throw new Error(`bulk indexing failed: ${first?.type}: ${first?.reason}`);
      }
      ops = [];
    };
    for await (const doc of docs) {
      ops.push({ index: { _index: index, _id: doc.id } }, toSource(doc, this.phrases));
      count++;
      if (ops.length >= this.bulkSize * 2) await flush();
    }
    await flush();
    await this.client.indices.putSettings({ index, settings: { refresh_interval: '1s' } });
    await this.client.indices.refresh({ index });
    const old = Object.keys(await this.client.indices.getAlias({ name: this.alias }));
    await this.client.indices.updateAliases({
      actions: [
        ...old.map((o) => ({ remove: { index: o, alias: this.alias } })),
        { add: { index, alias: this.alias } },
      ],
    });
    if (old.length > 0) await this.client.indices.delete({ index: old }, { ignore: [404] });
    await this.bump();
    return { count };
  }

  async version(): Promise<number> {
    await this.ensure();
    const r = await this.client.get<{ v: number }>({ index: this.meta, id: 'version' }, { ignore: [404] });
    return r.found ? (r._source?.v ?? 0) : 0;
  }

  async search(query: IndexQuery): Promise<IndexResult> {
    await this.ensure();
    const [version, r] = await Promise.all([
      this.version(),
      this.client.search<EsSource>(searchRequest(this.alias, query, this.timeoutMs)),
    ]);
    if (r.timed_out) throw new errors.TimeoutError('search timed out on the cluster');
    const aggs = (r.aggregations ?? {}) as unknown as Record<string, Agg>;
    const facets: Record<string, Record<string, number>> = {};
    for (const name of FACETS) {
      const a = aggs[name];
      const counts: Record<string, number> = {};
      for (const b of a?.values.buckets ?? []) counts[b.key_as_string ?? String(b.key)] = b.doc_count;
      if (name === 'gender' && a?.missing?.doc_count) counts.unspecified = a.missing.doc_count;
      facets[name] = counts;
    }
    const total = typeof r.hits.total === 'number' ? r.hits.total : (r.hits.total?.value ?? 0);
    return {
      total,
      hits: r.hits.hits.flatMap((h) => {
        if (!h._source) return [];
        const doc = fromSource(h._source);
        return [
          {
            doc,
            score: h._score ?? 0,
            distanceKm: query.geo ? haversineKm(query.geo.lat, query.geo.lon, doc.lat, doc.lon) : null,
            nextAvailableAt: doc.nextAvailableAt,
            highlights: parseHighlights(doc, h.highlight),
          },
        ];
      }),
      facets: completeFacets(facets),
      tookMs: r.took,
      version,
    };
  }

  async suggest(prefix: string, limit: number): Promise<Suggestion[]> {
    await this.ensure();
    const last = prefix.trim().split(/\s+/).at(-1) ?? '';
    const include = prefixRegex(prefix.trim());
    const terms = (field: string, inc: string): estypes.AggregationsAggregationContainer => ({
      terms: { field, size: limit, include: inc },
    });
    const r = await this.client.search<EsSource>({
      index: this.alias,
      size: limit,
      timeout: `${this.timeoutMs}ms`,
      _source: ['id', 'name'],
      query: {
        multi_match: {
          query: prefix,
          type: 'bool_prefix',
          fields: ['name.sayt', 'name.sayt._2gram', 'name.sayt._3gram'],
        },
      },
      aggs: {
        specialty: { global: {}, aggs: { v: terms('specialtyNames.raw', include) } },
        condition: { global: {}, aggs: { v: terms('conditions.raw', include) } },
        city: { global: {}, aggs: { v: terms('city.raw', include) } },
      },
    });
    const aggs = (r.aggregations ?? {}) as unknown as Record<
      string,
      { v: { buckets: { key: string; doc_count: number }[] } }
    >;
    const phrases: Suggestion[] = (['specialty', 'condition', 'city'] as const).flatMap((kind) =>
      (aggs[kind]?.v.buckets ?? []).map((b) => ({ text: b.key, kind, count: b.doc_count })),
    );
    phrases.sort((a, b) => b.count - a.count || a.text.localeCompare(b.text));
    const names: Suggestion[] = last
      ? r.hits.hits.flatMap((h) =>
          h._source ? [{ text: h._source.name, kind: 'name' as const, count: 1, id: h._source.id }] : [],
        )
      : [];
    return [...phrases, ...names].slice(0, limit);
  }

  /** Drops the indices (tests). */
  async destroy(): Promise<void> {
    const indices = Object.keys(await this.client.indices.getAlias({ name: this.alias }, { ignore: [404] }));
    await this.client.indices.delete({ index: [...indices, this.meta] }, { ignore: [404] });
    this.ready = undefined;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
