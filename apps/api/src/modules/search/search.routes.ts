import { SearchRequest, SearchResponse, SuggestRequest, SuggestResponse } from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { SearchService } from './search.service';

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
    async (request) => service.search(request.query),
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
}
