import { layTermSynonyms } from '@carebook/contracts';
import { type EngineOptions, FilterError, SearchEngine, type Suggestion } from '@carebook/search-engine';
import type { IndexQuery, IndexResult, SearchDoc, SearchIndex } from '../../ports/search-index';
import { SearchQueryError } from '../../ports/search-index';
import { completeFacets } from './facets';

/** Lay terms, specialty names, practitioner titles and codes → specialty codes. */
export const vocabularySynonyms = (): Record<string, string[]> => layTermSynonyms();

/**
 * The embedded profile's index: the in-process engine. Synchronous underneath; a rebuild builds a
 * fresh engine aside and swaps it in, so searches never see a half-built index.
 */
export class EmbeddedSearchIndex implements SearchIndex {
  private engine: SearchEngine;
  private readonly options: EngineOptions;
  private mutations = 0;

  constructor(options: EngineOptions = { synonyms: vocabularySynonyms() }) {
    this.options = options;
    this.engine = new SearchEngine(options);
  }

  async upsert(doc: SearchDoc): Promise<void> {
    this.engine.upsert(doc);
    this.mutations++;
  }

  async delete(id: string): Promise<void> {
    if (this.engine.delete(id)) this.mutations++;
  }

  async rebuild(docs: AsyncIterable<SearchDoc> | Iterable<SearchDoc>): Promise<{ count: number }> {
    const all: SearchDoc[] = [];
    for await (const doc of docs) all.push(doc);
    this.engine = SearchEngine.build(all, this.options);
    this.mutations++;
    return { count: this.engine.size };
  }

  async version(): Promise<number> {
    return this.mutations;
  }

  async search(query: IndexQuery): Promise<IndexResult> {
    const started = performance.now();
    let result: ReturnType<SearchEngine['search']>;
    try {
      result = this.engine.search({ ...query, facets: true, highlight: true });
    } catch (err) {
      if (err instanceof FilterError) throw new SearchQueryError(err.message, '/query');
      throw err;
    }
    return {
      total: result.total,
      hits: result.hits.map((h) => ({
        doc: h.doc as SearchDoc,
        score: h.score,
        distanceKm: h.distanceKm,
        nextAvailableAt: h.nextAvailableAt,
        highlights: h.highlights,
      })),
      facets: completeFacets(result.facets ?? {}),
      tookMs: performance.now() - started,
      version: this.mutations,
    };
  }

  async suggest(prefix: string, limit: number): Promise<Suggestion[]> {
    return this.engine.suggest(prefix, limit);
  }

  async close(): Promise<void> {}
}
