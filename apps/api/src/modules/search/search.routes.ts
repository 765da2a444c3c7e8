import {
  PlacesRequest,
  PlacesResponse,
  SearchRequest,
  SearchResponse,
  SuggestRequest,
  SuggestResponse,
} from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { sendJsonText } from '../../http/json-text';
import { allPlaces, findPlaces } from './places';
import type { SearchService } from './search.service';
import { searchResponseJson } from './search-json';

/** Public search endpoints; no authentication. */
export function searchRoutes(app: FastifyInstance, service: SearchService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['search'];
  r.get(
    '/api/v1/search',
    {
      schema: {
        tags,
        summary: 'Search published listings: text, place, filters, facets, sorts',
        querystring: SearchRequest,
        response: { 200: SearchResponse },
      },
      config: { docs: { auth: 'none', problems: { 503: 'The search index did not answer in time' } } },
    },
    async (request, reply) => {
      // Already JSON (the schema's text, see search-json.ts; cached as text): sent as it is.
      const url = request.url;
      const body = await service.searchJson(
        request.query,
        searchResponseJson,
        url.slice(url.indexOf('?') + 1),
      );
      return sendJsonText(reply, body);
    },
  );
  r.get(
    '/api/v1/search/suggest',
    {
      schema: {
        tags,
        summary: 'As-you-type suggestions: specialties, conditions, cities, provider names',
        querystring: SuggestRequest,
        response: { 200: SuggestResponse },
      },
      config: { docs: { auth: 'none' } },
    },
    async (request) => service.suggest(request.query),
  );
  r.get(
    '/api/v1/search/places',
    {
      schema: {
        tags,
        summary:
          'Bundled places for an address, postcode or city name (coordinates, zone); no outside geocoder',
        querystring: PlacesRequest,
        response: { 200: PlacesResponse },
      },
      config: { docs: { auth: 'none' } },
    },
    async (request) => {
      const q = request.query.q?.trim();
      return {
        places: q
          ? findPlaces(q).map(({ place, match }) => ({ ...place, match }))
          : allPlaces().map((place) => ({ ...place, match: 'list' as const })),
      };
    },
  );
}
