import type { Suggestion } from '@carebook/search-engine';
import type { IndexQuery, IndexResult, SearchDoc, SearchIndex } from '../../ports/search-index';
import { type DependencyBreaker, DependencyUnavailableError, isDependencyFailure } from './breaker';

/** What answers searches when the search cluster cannot: the database, plainly. */
export interface SearchFallback {
  search(query: IndexQuery): Promise<IndexResult>;
  suggest(prefix: string, limit: number): Promise<Suggestion[]>;
}

/** Stands for "version unknown" while the cluster is unreachable; real versions are never negative. */
export const UNKNOWN_INDEX_VERSION = -1;

/**
 * A search cluster behind a timeout and a circuit breaker. Searches and suggestions the cluster
 * cannot answer (open circuit, timeout, outage) are answered by the fallback with `degraded: true`;
 * writes (indexer upserts and deletes) fail, so their events are delivered again later. The
 * start-up rebuild is not time-limited (it is long by nature); when the cluster is down it fails
 * with DependencyUnavailableError and the instance starts anyway, answering from the fallback.
 */
export class GuardedSearchIndex implements SearchIndex {
  readonly cacheTtlSeconds?: number;

  constructor(
    private readonly inner: SearchIndex,
    private readonly breaker: DependencyBreaker,
    private readonly fallback: SearchFallback,
  ) {
    if (inner.cacheTtlSeconds !== undefined) this.cacheTtlSeconds = inner.cacheTtlSeconds;
  }

  /** The cluster's own answer; when it cannot say (down), rebuild is attempted (and fails soft). */
  async needsRebuild(): Promise<boolean> {
    if (!this.inner.needsRebuild) return true;
    try {
      return await this.inner.needsRebuild();
    } catch (err) {
      if (!isDependencyFailure(err)) throw err;
      return true;
    }
  }

  upsert(doc: SearchDoc): Promise<void> {
    return this.breaker.run(() => this.inner.upsert(doc));
  }

  delete(id: string): Promise<void> {
    return this.breaker.run(() => this.inner.delete(id));
  }

  async rebuild(docs: AsyncIterable<SearchDoc> | Iterable<SearchDoc>): Promise<{ count: number }> {
    try {
      return await this.inner.rebuild(docs);
    } catch (err) {
      if (!isDependencyFailure(err)) throw err;
      throw new DependencyUnavailableError(this.breaker.name, 'failed', this.breaker.retryAfterSeconds, err);
    }
  }

  async version(): Promise<number> {
    try {
      return await this.breaker.run(() => this.inner.version());
    } catch (err) {
      if (err instanceof DependencyUnavailableError) return UNKNOWN_INDEX_VERSION;
      throw err;
    }
  }

  async search(query: IndexQuery): Promise<IndexResult> {
    try {
      return await this.breaker.run(() => this.inner.search(query));
    } catch (err) {
      if (!(err instanceof DependencyUnavailableError)) throw err;
      return { ...(await this.fallback.search(query)), degraded: true };
    }
  }

  async suggest(prefix: string, limit: number): Promise<Suggestion[]> {
    try {
      return await this.breaker.run(() => this.inner.suggest(prefix, limit));
    } catch (err) {
      if (!(err instanceof DependencyUnavailableError)) throw err;
      return this.fallback.suggest(prefix, limit);
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
