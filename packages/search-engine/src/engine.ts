/** Public facade of the embedded search engine. Synchronous, in-memory, no I/O. */

import { cellOrder } from './grid';
import { ExpansionCache } from './plan';
import { Scratch } from './score';
import { runSearch } from './search';
import { IndexState } from './state';
import { suggest } from './suggest';
import type { EngineOptions, ProviderDoc, SearchQuery, SearchResult, Suggestion } from './types';

export interface EngineStats {
  documents: number;
  terms: number;
  trieNodes: number;
  version: number;
}

export class SearchEngine {
  private readonly state: IndexState;
  private readonly scratch = new Scratch();
  private readonly expansions = new ExpansionCache();

  constructor(options: EngineOptions = {}) {
    this.state = new IndexState(options);
  }

  /**
   * Builds an engine from many documents, then releases spare capacity. Documents get their
   * internal ids in grid-cell order, so the documents of one area sit side by side in the column
   * store and a geo query reads them as a few contiguous runs instead of one cache miss each.
   */
  static build(docs: Iterable<ProviderDoc>, options: EngineOptions = {}): SearchEngine {
    const engine = new SearchEngine(options);
    // The last document of an id wins, as with upserts in input order.
    const list = [...new Map(Array.from(docs, (d) => [d.id, d] as const)).values()];
    const keys = Float64Array.from(list, (d) => cellOrder(d.lat, d.lon));
    const order = Uint32Array.from(list.keys()).sort((a, b) => (keys[a] ?? 0) - (keys[b] ?? 0) || a - b);
    for (const i of order) {
      const d = list[i];
      if (d) engine.state.upsert(d);
    }
    engine.state.trim();
    return engine;
  }

  /** Increments on every mutation (each upsert and each successful delete). */
  get version(): number {
    return this.state.version;
  }

  get size(): number {
    return this.state.live;
  }

  /** Inserts or replaces one document (matched by `id`) without rebuilding the index. */
  upsert(doc: ProviderDoc): void {
    this.state.upsert(doc);
  }

  /** Removes one document; returns false when the id is unknown (version unchanged). */
  delete(id: string): boolean {
    return this.state.remove(id);
  }

  get(id: string): ProviderDoc | undefined {
    const i = this.state.idMap.get(id);
    return i === undefined ? undefined : this.state.docs[i];
  }

  has(id: string): boolean {
    return this.state.idMap.has(id);
  }

  search(query: SearchQuery = {}): SearchResult {
    return runSearch(this.state, this.scratch, query, this.expansions);
  }

  suggest(prefix: string, limit = 10): Suggestion[] {
    return suggest(this.state, prefix, limit);
  }

  stats(): EngineStats {
    return {
      documents: this.state.live,
      terms: this.state.terms.size,
      trieNodes: this.state.terms.trie.nodeCount,
      version: this.state.version,
    };
  }
}
