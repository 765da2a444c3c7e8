import {
  AvailabilityQuery,
  AvailabilityResponse,
  IdParams,
  Listing,
  ListingInput,
  ListingListQuery,
  ListingSummary,
  Page,
  Schedule,
  Service,
  ServiceInput,
  ServiceParams,
  SuspendListingBody,
} from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { metaOf, principalOf } from '../../http/auth-plugin';
import { sendJsonText } from '../../http/json-text';
import type { Principal } from '../../lib/request-meta';
import type { AvailabilityService } from '../availability/availability.service';
import { etagOf, requireIfMatch } from './if-match';
import type { ListingServices } from './listing-services';
import type { ProvidersService } from './providers.service';

const IfMatch = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'ETag of the version you edit' })),
});
const writeProblems = {
  404: 'No such listing (or not yours)',
  409: 'VERSION_CONFLICT (with currentVersion) or a state conflict',
  428: 'If-Match is missing',
};
const withEtag = <T extends { version: number }>(reply: FastifyReply, body: T) => {
  reply.header('etag', etagOf(body.version));
  return body;
};

export function providersRoutes(
  app: FastifyInstance,
  providers: ProvidersService,
  services: ListingServices,
  availability: AvailabilityService,
) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['providers'];

  /** A PUT that replaces part of a listing, guarded by If-Match; answers the listing and its new ETag. */
  const replaceRoute = <S extends TSchema>(
    path: '' | '/schedule',
    summary: string,
    body: S,
    replace: (principal: Principal, id: string, version: number, input: Static<S>) => Promise<Listing>,
  ) =>
    r.put(
      `/api/v1/providers/:id${path}`,
      {
        schema: { tags, summary, params: IdParams, headers: IfMatch, body, response: { 200: Listing } },
        config: { docs: { auth: 'required', problems: writeProblems } },
      },
      async (request, reply) =>
        withEtag(
          reply,
          await replace(
            principalOf(request),
            request.params.id,
            requireIfMatch(request.headers['if-match']),
            request.body as Static<S>,
          ),
        ),
    );

  r.post(
    '/api/v1/providers',
    {
      schema: { tags, summary: 'Create a draft listing', body: ListingInput, response: { 201: Listing } },
      config: { docs: { auth: 'required' } },
    },
    async (request, reply) => {
      const listing = await providers.create(principalOf(request), request.body);
      reply.code(201).header('location', `/api/v1/providers/${listing.id}`);
      return withEtag(reply, listing);
    },
  );

  r.get(
    '/api/v1/providers',
    {
      schema: {
        tags,
        summary: 'Published listings, or the listings you manage (scope=mine)',
        querystring: ListingListQuery,
        response: { 200: Page(ListingSummary) },
      },
      config: { docs: { auth: 'optional' } },
    },
    async (request) => providers.list(request.principal, request.query),
  );

  r.get(
    '/api/v1/providers/:id',
    {
      schema: {
        tags,
        summary: 'One listing (drafts only for those who manage it)',
        params: IdParams,
        response: { 200: Listing },
      },
      config: { docs: { auth: 'optional', problems: { 404: 'No such listing' } } },
    },
    async (request, reply) => {
      if (request.principal === null) {
        // Anonymous: the body serialised once and cached as text (see ProvidersService.publicView).
        const view = await providers.publicView(request.params.id);
        providers.viewed(request.params.id);
        reply.header('etag', etagOf(view.version));
        return sendJsonText(reply, view.body);
      }
      const listing = await providers.get(request.principal, request.params.id);
      providers.viewed(listing.id);
      return withEtag(reply, listing);
    },
  );

  replaceRoute('', 'Replace a listing’s details', ListingInput, (...args) => providers.update(...args));

  for (const action of ['publish', 'unpublish'] as const) {
    r.post(
      `/api/v1/providers/:id/${action}`,
      {
        schema: {
          tags,
          summary:
            action === 'publish'
              ? 'Publish (needs a verified account, a service and hours)'
              : 'Take back to draft',
          params: IdParams,
          headers: IfMatch,
          response: { 200: Listing },
        },
        config: { docs: { auth: 'required', problems: writeProblems } },
      },
      async (request, reply) => {
        const version = requireIfMatch(request.headers['if-match']);
        const principal = principalOf(request);
        const listing =
          action === 'publish'
            ? await providers.publish(principal, request.params.id, version)
            : await providers.unpublish(principal, request.params.id, version);
        return withEtag(reply, listing);
      },
    );
  }

  for (const action of ['suspend', 'unsuspend'] as const) {
    r.post(
      `/api/v1/providers/:id/${action}`,
      {
        schema: {
          tags,
          summary:
            action === 'suspend' ? 'Suspend a listing (admins)' : 'Lift a suspension back to draft (admins)',
          params: IdParams,
          body: SuspendListingBody,
          response: { 200: Listing },
        },
        config: {
          docs: { auth: 'required', problems: { 404: 'No such listing', 409: 'Already in that state' } },
        },
      },
      async (request, reply) =>
        withEtag(
          reply,
          await providers.moderate(
            principalOf(request),
            request.params.id,
            action === 'suspend',
            request.body.reason,
            metaOf(request),
          ),
        ),
    );
  }

  replaceRoute(
    '/schedule',
    'Replace weekly hours, overrides, time off and booking rules',
    Schedule,
    (...args) => providers.setSchedule(...args),
  );

  r.get(
    '/api/v1/providers/:id/services',
    {
      schema: {
        tags,
        summary: 'A listing’s services (inactive ones only for those who manage it)',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(Service), version: Type.Integer() }) },
      },
      config: { docs: { auth: 'optional', problems: { 404: 'No such listing' } } },
    },
    async (request, reply) => withEtag(reply, await services.list(request.principal, request.params.id)),
  );

  r.post(
    '/api/v1/providers/:id/services',
    {
      schema: {
        tags,
        summary: 'Add a service',
        params: IdParams,
        headers: IfMatch,
        body: ServiceInput,
        response: { 201: Type.Object({ service: Service, version: Type.Integer() }) },
      },
      config: { docs: { auth: 'required', problems: writeProblems } },
    },
    async (request, reply) => {
      const { listing, serviceId } = await services.add(
        principalOf(request),
        request.params.id,
        requireIfMatch(request.headers['if-match']),
        request.body,
      );
      const service = listing.services.find((s) => s.id === serviceId);
      reply.code(201);
      return withEtag(reply, { service: service as Service, version: listing.version });
    },
  );

  r.put(
    '/api/v1/providers/:id/services/:serviceId',
    {
      schema: {
        tags,
        summary: 'Replace a service (set active=false to withdraw it)',
        params: ServiceParams,
        headers: IfMatch,
        body: ServiceInput,
        response: { 200: Type.Object({ service: Service, version: Type.Integer() }) },
      },
      config: { docs: { auth: 'required', problems: writeProblems } },
    },
    async (request, reply) => {
      const listing = await services.replace(
        principalOf(request),
        request.params.id,
        request.params.serviceId,
        requireIfMatch(request.headers['if-match']),
        request.body,
      );
      const service = listing.services.find((s) => s.id === request.params.serviceId);
      return withEtag(reply, { service: service as Service, version: listing.version });
    },
  );

  r.get(
    '/api/v1/providers/:id/availability',
    {
      schema: {
        tags: ['availability'],
        summary: 'Bookable slots of a service, grouped by day in the zone you ask for',
        params: IdParams,
        querystring: AvailabilityQuery,
        response: { 200: AvailabilityResponse },
      },
      config: { docs: { auth: 'optional', problems: { 404: 'No such listing or service' } } },
    },
    async (request) => availability.slots(request.principal, request.params.id, request.query),
  );
}
