import { BulkPublishQuery, FhirFindQuery, FhirParametersBody } from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { principalOf } from '../../http/auth-plugin';
import type { FhirBookings } from './booking-bridge';
import { type BulkPublisher, etagOf } from './bulk-publish';
import type { FhirDirectory } from './fhir-directory';
import { FHIR_CONTENT_TYPE, type FhirResource } from './fhir-types';
import {
  appointmentResource,
  bookAppointment,
  findAppointments,
  findQueryOf,
  findUrl,
  holdAppointment,
  parametersOf,
  paymentOutcome,
} from './operations';
import { searchBundle } from './search-params';

export interface SchedulingDeps {
  directory: FhirDirectory;
  bookings: FhirBookings;
  bulk: BulkPublisher;
  baseUrl: string;
}

const idempotency = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })) });

/** IHE ITI Scheduling operations on Appointment, and the SMART Scheduling Links bulk publication. */
export function schedulingRoutes(scope: FastifyInstance, deps: SchedulingDeps): void {
  const r = scope.withTypeProvider<TypeBoxTypeProvider>();
  const { directory, bookings, bulk, baseUrl } = deps;
  const collection = (request: FastifyRequest, resources: FhirResource[], outcome?: FhirResource | null) => {
    const page = { count: Math.max(resources.length, 1), offset: 0 };
    const b = searchBundle(request.url, baseUrl, page, resources.length, resources) as { entry?: unknown[] };
    if (outcome) b.entry = [...(b.entry ?? []), { resource: outcome, search: { mode: 'outcome' } }];
    return b;
  };
  const kindOf = (id: string) =>
    directory.listing(id).then(
      (l) => l.kind,
      () => null,
    );

  const found = async (url: string, query: FhirFindQuery) => {
    const offers = await findAppointments(directory, query);
    const page = { count: query._count ?? 100, offset: query._offset ?? 0 };
    return searchBundle(
      url,
      baseUrl,
      page,
      offers.length,
      offers.slice(page.offset, page.offset + page.count),
    );
  };
  r.get(
    '/R4/Appointment/$find',
    { schema: { hide: true, querystring: FhirFindQuery }, config: { docs: { auth: 'optional' } } },
    async (req, reply) => reply.type(FHIR_CONTENT_TYPE).send(await found(req.url, req.query)),
  );
  r.post(
    '/R4/Appointment/$find',
    { schema: { hide: true, body: FhirParametersBody }, config: { docs: { auth: 'optional' } } },
    async (req, reply) => {
      const params = parametersOf(req.body);
      const int = (name: string) => (params.get(name) as { valueInteger?: number } | undefined)?.valueInteger;
      const count = int('_count');
      const offset = int('_offset');
      const query: FhirFindQuery = {
        ...findQueryOf(params),
        ...(count !== undefined ? { _count: Math.max(0, Math.min(count, 100)) } : {}),
        ...(offset !== undefined ? { _offset: Math.max(0, offset) } : {}),
      };
      return reply.type(FHIR_CONTENT_TYPE).send(await found(findUrl(query), query));
    },
  );
  // $hold answers 201 with the held appointment; $book 200, with what payment is still due.
  for (const [operation, run, code, outcome] of [
    ['$hold', holdAppointment, 201, () => null],
    ['$book', bookAppointment, 200, paymentOutcome],
  ] as const) {
    r.post(
      `/R4/Appointment/${operation}`,
      {
        schema: { hide: true, body: FhirParametersBody, headers: idempotency },
        config: { docs: { auth: 'required' } },
      },
      async (req, reply) => {
        const booking = await run(
          directory,
          bookings,
          principalOf(req),
          parametersOf(req.body),
          req.headers['idempotency-key'],
        );
        const resource = appointmentResource(booking, await kindOf(booking.providerId));
        return reply
          .code(code)
          .type(FHIR_CONTENT_TYPE)
          .send(collection(req, [resource], outcome(booking)));
      },
    );
  }

  const cached = (request: FastifyRequest, reply: FastifyReply, body: string, type: string) => {
    const etag = etagOf(body);
    reply
      .header('etag', etag)
      .header('cache-control', 'public, max-age=300, must-revalidate')
      .header('vary', 'accept-encoding');
    const match = request.headers['if-none-match'];
    if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag))
      return reply.code(304).send();
    return reply.type(type).send(body);
  };
  r.get(
    '/$bulk-publish',
    { schema: { hide: true, querystring: BulkPublishQuery }, config: { docs: { auth: 'optional' } } },
    async (req, reply) =>
      cached(req, reply, JSON.stringify(await bulk.manifest(req.query)), 'application/json'),
  );
  r.get(
    '/$bulk-publish/:file',
    {
      schema: {
        hide: true,
        params: Type.Object({ file: Type.String({ pattern: '^[a-z0-9-]{1,40}\\.ndjson$' }) }),
        querystring: BulkPublishQuery,
      },
      config: { docs: { auth: 'optional' } },
    },
    async (req, reply) =>
      cached(req, reply, await bulk.file(req.params.file, req.query), 'application/fhir+ndjson'),
  );
}
