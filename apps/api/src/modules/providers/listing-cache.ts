import type { Cache } from '../../ports/cache';
import type { DomainEvent } from '../../ports/event-bus';

/** Listing reads are cached as raw rows (visibility is applied per request) for five minutes. */
export const LISTING_CACHE_TTL_SECONDS = 300;
export const listingCacheKey = (id: string) => `listing:${id}`;
export const listingCacheTag = (id: string) => `listing:${id}`;
/** An anonymous reader's view of a listing, serialised (`ProvidersService.publicView`). */
export const publicListingKey = (id: string) => `listing-public:${id}`;

export interface RenderedListing {
  /** The listing's version, for its ETag. */
  version: number;
  /** The serialised response body. */
  body: string;
}

const VERSION_PREFIX = '{"version":';
const BODY_PREFIX = ',"body":';
// The last texts read, by the text itself: the memory cache returns the same string on every hit,
// so a repeated read finds its parts (and the body keeps its identity for the compression memo).
const rendered = new Map<string, RenderedListing>();
const RENDERED_ENTRIES = 256;

/** Splits the cached `{"version":N,"body":…}` text made by `publicView` without parsing the body. */
export function renderedListing(text: string): RenderedListing {
  const known = rendered.get(text);
  if (known) return known;
  const comma = text.indexOf(BODY_PREFIX);
  const version = Number(text.slice(VERSION_PREFIX.length, comma));
  if (!text.startsWith(VERSION_PREFIX) || comma < 0 || !Number.isInteger(version))
    throw new TypeError('not a rendered listing');
  const parts = { version, body: text.slice(comma + BODY_PREFIX.length, -1) };
  if (rendered.size >= RENDERED_ENTRIES) rendered.delete(rendered.keys().next().value as string);
  rendered.set(text, parts);
  return parts;
}

/** Event consumer: any provider event drops that listing from this instance's cache. Idempotent. */
export const listingCacheInvalidator =
  (cache: Cache) =>
  async (event: DomainEvent): Promise<void> => {
    if (event.type.startsWith('provider.')) await cache.invalidateTag(listingCacheTag(event.aggregateId));
  };
