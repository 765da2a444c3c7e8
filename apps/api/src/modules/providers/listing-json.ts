import { Listing } from '@carebook/contracts';
import fastJson from 'fast-json-stringify';

/**
 * A listing as its response body: the serializer Fastify compiles for routes answering `Listing`
 * (fast-json-stringify over the same schema, so the same text), usable outside a request — the
 * cache warmer fills the anonymous readers' cached body with it.
 */
export const listingJson: (listing: Listing) => string = fastJson(Listing as object);
