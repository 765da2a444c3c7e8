import type {
  BoundingBox,
  FacetCounts,
  GeoPoint,
  Highlight,
  ProviderDoc,
  Rating,
  SearchFilters,
  SortMode,
  Suggestion,
} from '@carebook/search-engine';

/** What the index holds for one published listing: the engine's document plus display extras. */
export interface SearchDoc extends ProviderDoc {
  /** Blob key of the first photo's thumbnail (webp), or null. */
  photoThumbnail: string | null;
  /** Average (one decimal) and count of the listing's visible reviews; null without any. */
  rating: Rating | null;
}

/** One search as the port receives it: already validated and normalised by the service. */
export interface IndexQuery {
  q?: string;
  filters?: SearchFilters;
  /** Epoch ms for relative filters (`availableWithinDays`). */
  now: number;
  geo?: GeoPoint;
  bbox?: BoundingBox;
  sort: SortMode;
  /** 1-based. */
  page: number;
  size: number;
}

export interface IndexHit {
  doc: SearchDoc;
  score: number;
  distanceKm: number | null;
  nextAvailableAt: number | null;
  highlights: Highlight[];
}

export interface IndexResult {
  total: number;
  hits: IndexHit[];
  /** Every facet, each counted with every filter but its own; only non-zero counts. */
  facets: FacetCounts;
  tookMs: number;
  /** Index version the answer was computed against. */
  version: number;
  /** Answered without the index (database fallback while the search cluster is down): not cached. */
  degraded?: boolean;
}

/**
 * The search index: a derived store fed from listing events and rebuilt from the database.
 * `version()` changes on every rebuild and never goes back; an in-process index also changes it
 * on every write, so results cached under it are dropped naturally. A shared index (Elasticsearch
 * /OpenSearch) keeps it across single-document writes and sets `cacheTtlSeconds` instead: the
 * search service then tags cached results with their listings (invalidated by the indexer) and
 * bounds their age by it. Every adapter passes `adapters/search/search-index.contract.ts`.
 */
export interface SearchIndex {
  upsert(doc: SearchDoc): Promise<void>;
  /** Removing a missing document is not an error. */
  delete(id: string): Promise<void>;
  /** Replaces the whole content with `docs` (atomically for readers); returns how many. */
  rebuild(docs: AsyncIterable<SearchDoc> | Iterable<SearchDoc>): Promise<{ count: number }>;
  version(): Promise<number>;
  /** Whether start-up must rebuild it from the database (absent: always, e.g. in memory). */
  needsRebuild?(): Promise<boolean>;
  /** Set by shared indexes whose writes keep `version()`: the longest a cached result may live. */
  readonly cacheTtlSeconds?: number;
  search(query: IndexQuery): Promise<IndexResult>;
  suggest(prefix: string, limit: number): Promise<Suggestion[]>;
  close(): Promise<void>;
}

/** Raised by adapters for a query they cannot run as asked (maps to a 400). */
export class SearchQueryError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'SearchQueryError';
  }
}
