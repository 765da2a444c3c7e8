import type { SearchResponse } from '@carebook/contracts';

/**
 * A search response as its body text. The service builds the response with exactly the schema's
 * properties, in the order fast-json-stringify writes them (the schema's order, required ones
 * before optional ones), so `JSON.stringify` writes the same text as the route's schema serializer
 * (search.routes.test.ts compares them) at about half its cost: the schema's unions
 * (`distanceKm`, `nextAvailableAt`, `rating`, …) made that serializer validate each value against
 * every branch to choose one.
 */
export function searchResponseJson(response: SearchResponse): string {
  return JSON.stringify(response);
}
