/** Public facade of the embedded search engine. Synchronous, in-memory, no I/O. */

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

  constructor(options: EngineOptions = {}) {
    this.state = new IndexState(options);
  }

  /** Builds an engine from many documents, then releases spare capacity. */
  static build(docs: Iterable<ProviderDoc>, options: EngineOptions = {}): SearchEngine {
    const engine = new SearchEngine(options);
    for (const d of docs) engine.state.upsert(d);
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
    return runSearch(this.state, this.scratch, query);
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
