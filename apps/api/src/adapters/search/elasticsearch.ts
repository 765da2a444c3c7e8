import { createHash } from 'node:crypto';
import { haversineKm, type Suggestion } from '@carebook/search-engine';
import { Client, errors, type estypes, Transport, type TransportOptions } from '@elastic/elasticsearch';
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
  /** Bound on the age of a cached search result that misses a write. Default 5 s. */
  cacheTtlSeconds?: number;
  client?: Client;
}

type Agg = {
  doc_count: number;
  values: { buckets: { key: string | number; key_as_string?: string; doc_count: number }[] };
  missing?: { doc_count: number };
};

/**
 * The ES 8 client refuses a server that does not call itself Elasticsearch and sends ES 8
 * "compatible-with" media types that OpenSearch answers with 406. This transport skips the
 * product check and speaks plain JSON, which Elasticsearch 8 and OpenSearch 2 both accept, so
 * one client serves both (tested against OpenSearch 2.19 in CI).
 */
class PlainJsonTransport extends Transport {
  constructor(options: TransportOptions) {
    super({
      ...options,
      productCheck: undefined,
      vendoredHeaders: {
        jsonContentType: 'application/json',
        ndjsonContentType: 'application/x-ndjson',
        accept: 'application/json, text/plain',
      },
    });
  }
}

/** Identifies the mapping, settings and vocabulary: an index built with another one is rebuilt. */
export const MAPPING_VERSION = createHash('sha256')
  .update(JSON.stringify([INDEX_SETTINGS, MAPPINGS, vocabularySynonyms()]))
  .digest('hex')
  .slice(0, 16);

/** Index management (create, settings, aliases) waits for the cluster state: slower than searches. */
const ADMIN = { requestTimeout: 60_000 };

interface BuildRecord {
  index: string;
  mapping: string;
  builtAt: string;
}

/**
 * Phrases of one field that start with `prefix`: documents with such a value (case-insensitive
 * prefix query), then their values, keeping those that start with it. (A terms aggregation's
 * regex `include` fails with an IndexOutOfBoundsException on OpenSearch 2.19.1.)
 */
const phraseAgg = (field: string, prefix: string): estypes.AggregationsAggregationContainer => ({
  global: {},
  aggs: {
    f: {
      filter: { prefix: { [field]: { value: prefix, case_insensitive: true } } },
      aggs: { v: { terms: { field, size: 200 } } },
    },
  },
});

/**
 * Elasticsearch / OpenSearch adapter (official ES 8 client over plain JSON). The live index is an
 * alias; a rebuild fills a fresh index and swaps the alias atomically, and records what it built
 * (index, mapping version) in `<prefix>-search-meta`, so a restart rebuilds only when the index is
 * missing or was built with another mapping. `version()` is the build generation (changes on
 * every rebuild, read at most once a second); single-document writes do not change it: the
 * search service tags cached results by listing and bounds their age by `cacheTtlSeconds`.
 */
export class ElasticsearchSearchIndex implements SearchIndex {
  /** Cached results of a shared index are served at most this long after a write they miss. */
  readonly cacheTtlSeconds: number;
  private readonly client: Client;
  private readonly alias: string;
  private readonly meta: string;
  private readonly timeoutMs: number;
  private readonly bulkSize: number;
  private readonly phrases = phrasesByCode(vocabularySynonyms());
  private ready: Promise<void> | undefined;
  private cachedVersion: { value: number; at: number } | undefined;

  constructor(options: ElasticsearchIndexOptions) {
    const prefix = options.prefix ?? 'carebook';
    this.alias = `${prefix}-providers`;
    this.meta = `${prefix}-search-meta`;
    this.timeoutMs = options.requestTimeoutMs ?? 2000;
    this.bulkSize = options.bulkSize ?? 1000;
    this.cacheTtlSeconds = options.cacheTtlSeconds ?? 5;
    this.client =
      options.client ??
      new Client({
        node: options.node,
        requestTimeout: this.timeoutMs,
        maxRetries: 1,
        Transport: PlainJsonTransport,
      });
  }

  private ensure(): Promise<void> {
    this.ready ??= (async () => {
      if (!(await this.client.indices.exists({ index: this.meta })))
        await this.client.indices.create({ index: this.meta }, { ...ADMIN, ignore: [400] });
      if (!(await this.client.indices.existsAlias({ name: this.alias }))) {
        const index = await this.createIndex();
        await this.client.indices.putAlias({ index, name: this.alias }, ADMIN);
      }
    })().catch((err) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  private async createIndex(): Promise<string> {
    const index = `${this.alias}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    await this.client.indices.create(
      {
        index,
        settings: INDEX_SETTINGS,
        mappings: { ...MAPPINGS, _meta: { mapping: MAPPING_VERSION } },
      },
      ADMIN,
    );
    return index;
  }

  /** True when no completed build of this mapping version is behind the alias. */
  async needsRebuild(): Promise<boolean> {
    await this.ensure();
    const record = await this.client.get<BuildRecord>({ index: this.meta, id: 'build' }, { ignore: [404] });
    if (!record.found || record._source?.mapping !== MAPPING_VERSION) return true;
    const behind = Object.keys(await this.client.indices.getAlias({ name: this.alias }));
    return !behind.includes(record._source.index);
  }

  async upsert(doc: SearchDoc): Promise<void> {
    await this.ensure();
    await this.client.index({
      index: this.alias,
      id: doc.id,
      document: toSource(doc, this.phrases),
      refresh: 'wait_for',
    });
  }

  async delete(id: string): Promise<void> {
    await this.ensure();
    await this.client.delete({ index: this.alias, id, refresh: 'wait_for' }, { ignore: [404] });
  }

  /**
   * Fills a fresh index and swaps the alias to it. Writes that reach the old index while this
   * runs are not copied: the caller replays what changed meanwhile (modules/search/rebuild.ts).
   */
  async rebuild(docs: AsyncIterable<SearchDoc> | Iterable<SearchDoc>): Promise<{ count: number }> {
    await this.ensure();
    const index = await this.createIndex();
    await this.client.indices.putSettings({ index, settings: { refresh_interval: '-1' } }, ADMIN);
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
    try {
      for await (const doc of docs) {
        ops.push({ index: { _index: index, _id: doc.id } }, toSource(doc, this.phrases));
        count++;
        if (ops.length >= this.bulkSize * 2) await flush();
      }
      await flush();
    } catch (err) {
      await this.client.indices.delete({ index }, { ...ADMIN, ignore: [404] });
      throw err;
    }
    await this.client.indices.putSettings({ index, settings: { refresh_interval: '1s' } }, ADMIN);
    await this.client.indices.refresh({ index }, ADMIN);
    const old = Object.keys(await this.client.indices.getAlias({ name: this.alias }));
    await this.client.indices.updateAliases(
      {
        actions: [
          ...old.map((o) => ({ remove: { index: o, alias: this.alias } })),
          { add: { index, alias: this.alias } },
        ],
      },
      ADMIN,
    );
    if (old.length > 0) await this.client.indices.delete({ index: old }, { ...ADMIN, ignore: [404] });
    const record: BuildRecord = { index, mapping: MAPPING_VERSION, builtAt: new Date().toISOString() };
    await this.client.index({ index: this.meta, id: 'build', document: record, refresh: true });
    await this.client.update({
      index: this.meta,
      id: 'version',
      script: { source: 'ctx._source.v += 1' },
      upsert: { v: 1 },
      retry_on_conflict: 10,
      refresh: true,
    });
    this.cachedVersion = undefined;
    return { count };
  }

  /** The build generation, re-read at most once a second (another instance may have rebuilt). */
  async version(): Promise<number> {
    const now = Date.now();
    if (this.cachedVersion && now - this.cachedVersion.at < 1000) return this.cachedVersion.value;
    await this.ensure();
    const r = await this.client.get<{ v: number }>({ index: this.meta, id: 'version' }, { ignore: [404] });
    const value = r.found ? (r._source?.v ?? 0) : 0;
    this.cachedVersion = { value, at: now };
    return value;
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
    const lower = prefix.trim().toLowerCase();
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
        specialty: phraseAgg('specialtyNames.raw', lower),
        condition: phraseAgg('conditions.raw', lower),
        city: phraseAgg('city.raw', lower),
      },
    });
    const aggs = (r.aggregations ?? {}) as unknown as Record<
      string,
      { f: { v: { buckets: { key: string; doc_count: number }[] } } }
    >;
    const phrases: Suggestion[] = (['specialty', 'condition', 'city'] as const).flatMap((kind) =>
      (aggs[kind]?.f.v.buckets ?? [])
        .filter((b) => b.key.toLowerCase().startsWith(lower))
        .map((b) => ({ text: b.key, kind, count: b.doc_count })),
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
    await this.client.indices.delete({ index: [...indices, this.meta] }, { ...ADMIN, ignore: [404] });
    this.ready = undefined;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
