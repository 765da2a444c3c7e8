import type { SearchRequest, SearchResponse, SuggestRequest, SuggestResponse } from '@carebook/contracts';
import { DomainError } from '../../domain/errors';
import type { Cache } from '../../ports/cache';
import type { Clock } from '../../ports/clock';
import type { SearchIndex } from '../../ports/search-index';
import { SearchQueryError } from '../../ports/search-index';
import { searchListingTag } from './indexer';
import { interpretRequest } from './query-understanding';
import { searchResponseJson } from './search-json';
import { SearchKeyMemo } from './search-key-memo';
import { toIndexQuery } from './search-query';
import { toResponse } from './search-response';
import { withVocabularySpecialties } from './suggest-vocabulary';

/**
 * Results of an in-process index live until it changes (its version, in the key, moves with every
 * write) or this TTL passes. A shared index keeps its version across writes: its results are
 * tagged with the listings they show (the indexer drops those tags after re-indexing one) and live
 * at most `index.cacheTtlSeconds`, which bounds how long a listing that newly matches is missing.
 */
export const SEARCH_CACHE_TTL_SECONDS = 60;
/** Tag of every cached search result (an operator can drop them all at once). */
export const SEARCH_RESULTS_TAG = 'search-results';

export class SearchService {
  private readonly keys = new SearchKeyMemo();

  constructor(private readonly d: { index: SearchIndex; cache: Cache; clock: Clock }) {}

  private get ttlSeconds(): number {
    return this.d.index.cacheTtlSeconds ?? SEARCH_CACHE_TTL_SECONDS;
  }

  async search(req: SearchRequest): Promise<SearchResponse> {
    return JSON.parse(await this.searchJson(req, searchResponseJson)) as SearchResponse;
  }

  /**
   * The search's response as JSON text made by `serialise` (`searchResponseJson`). Results are
   * cached as that text, so a repeated search is answered with the stored body as it is — its
   * `tookMs` is the time the search took when it was computed — without parsing, copying or
   * serialising it again. `rawQuery`, the request's query string as it arrived, lets a repeat skip
   * the interpretation and the key's construction (see {@link SearchKeyMemo}).
   */
  async searchJson(
    req: SearchRequest,
    serialise: (response: SearchResponse) => string,
    rawQuery?: string,
  ): Promise<string> {
    const started = performance.now();
    const now = this.d.clock.now().getTime();
    const version = await this.d.index.version();
    // A query string seen before, in the same minute and index version, has the same key.
    const known = this.keys.lookup(rawQuery, now, version);
    if (known !== undefined) {
      const hit = await this.d.cache.get<string>(known);
      if (typeof hit === 'string') return hit;
    }
    const { request, interpreted } = interpretRequest(req);
    const query = toIndexQuery(request, now);
    // The interpretation is part of the body: two wordings that reach the same query differ in it.
    const key = `search:body:v${version}:${JSON.stringify(query)}${interpreted ? JSON.stringify(interpreted) : ''}`;
    this.keys.remember(rawQuery, now, version, key);
    // The value stored is the body text itself (a JSON string): reading it back is a string scan.
    const cached = known === key ? undefined : await this.d.cache.get<string>(key);
    if (typeof cached === 'string') return cached;
    let result: Awaited<ReturnType<SearchIndex['search']>>;
    try {
      result = await this.d.index.search(query);
    } catch (err) {
      if (err instanceof SearchQueryError)
        throw new DomainError('VALIDATION_FAILED', err.message, {
          errors: [{ path: err.path, message: err.message }],
        });
      throw err;
    }
    // Set in place, in the schema's order (tookMs keeps its position, the optional ones follow).
    const response = toResponse(result, query.page, query.size);
    response.tookMs = Math.round((performance.now() - started) * 100) / 100;
    if (result.degraded) response.degraded = true;
    if (interpreted) response.interpreted = interpreted;
    const body = serialise(response);
    // A degraded answer (the database fallback while the search cluster is out) is returned but
    // never cached. Otherwise stored after the search, tagged with what it shows: a listing
    // re-indexed meanwhile may be stale here until the TTL, which is why a shared index keeps it short.
    if (!result.degraded)
      await this.d.cache.set(key, body, {
        ttlSeconds: this.ttlSeconds,
        tags: [SEARCH_RESULTS_TAG, ...response.results.map((r) => searchListingTag(r.id))],
      });
    return body;
  }

  async suggest(req: SuggestRequest): Promise<SuggestResponse> {
    const q = req.q.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
    const limit = req.limit ?? 8;
    if (q === '') return { suggestions: [] };
    const version = await this.d.index.version();
    return this.d.cache.getOrLoad(
      `suggest:v${version}:${limit}:${q}`,
      async () => ({
        suggestions: await withVocabularySpecialties(
          q,
          (await this.d.index.suggest(q, limit)).map((s) => ({
            text: s.text,
            kind: s.kind,
            count: s.count,
            ...(s.id !== undefined ? { id: s.id } : {}),
          })),
          async (name) =>
            (await this.d.index.suggest(name.toLowerCase(), 5)).find(
              (s) => s.kind === 'specialty' && s.text === name,
            )?.count ?? 0,
          limit,
        ),
      }),
      { ttlSeconds: this.ttlSeconds },
    );
  }
}
