import {
  FhirAppointmentSearch,
  FhirDirectorySearch,
  FhirIdParams,
  FhirPatientSearch,
  FhirScheduleSearch,
  FhirSlotSearch,
  type Listing,
} from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../domain/errors';
import { metaOf, principalOf } from '../../http/auth-plugin';
import type { Principal, RequestMeta } from '../../lib/request-meta';
import { capabilityStatement } from './capability';
import {
  healthcareServiceResource,
  locationResource,
  providerResource,
  scheduleResource,
} from './directory-resources';
import type { FhirClinical } from './fhir-clinical';
import type { FhirDirectory, ServiceOf } from './fhir-directory';
import { FHIR_CONTENT_TYPE, type FhirResource } from './fhir-types';
import { registerOperationOutcomes } from './operation-outcome';
import { dateRange, pageOf, referenceId, type SearchPage, searchBundle, tokenCode } from './search-params';
import { slotResource } from './slots';

export interface FhirDeps {
  directory: FhirDirectory;
  clinical: FhirClinical;
  /** e.g. https://carebook.example/fhir/R4 */
  baseUrl: string;
}

const pub = { docs: { auth: 'optional' as const } };
const priv = { docs: { auth: 'required' as const } };

/** Matches a listing against the directory search parameters (name contains, specialty code). */
function matches(l: Listing, q: { name?: string | undefined; specialty?: string | undefined }): boolean {
  if (q.name && !l.name.toLowerCase().includes(q.name.toLowerCase())) return false;
  if (q.specialty && !(l.specialties as string[]).includes(tokenCode(q.specialty))) return false;
  return true;
}

const matchesService = (
  of: ServiceOf,
  q: { 'service-type'?: string | undefined; specialty?: string | undefined },
) =>
  (!q['service-type'] || of.service.id === tokenCode(q['service-type'])) &&
  (!q.specialty || (of.listing.specialties as string[]).includes(tokenCode(q.specialty)));

/** FHIR R4 reads and searches under /fhir/R4 (hidden from OpenAPI: the CapabilityStatement describes them). */
export async function fhirRoutes(
  app: FastifyInstance,
  deps: FhirDeps,
  extra: (scope: FastifyInstance) => void,
): Promise<void> {
  await app.register(
    async (scope) => {
      registerOperationOutcomes(scope);
      scope.addContentTypeParser(
        FHIR_CONTENT_TYPE,
        { parseAs: 'string' },
        scope.getDefaultJsonParser('error', 'error'),
      );
      // FHIR resources are application/fhir+json; the SMART manifest stays application/json.
      scope.addHook('onSend', async (request, reply, payload) => {
        if (
          request.url.startsWith('/fhir/R4') &&
          String(reply.getHeader('content-type') ?? '').startsWith('application/json')
        )
          reply.type(`${FHIR_CONTENT_TYPE}; charset=utf-8`);
        return payload;
      });
      const r = scope.withTypeProvider<TypeBoxTypeProvider>();
      const { directory, clinical, baseUrl } = deps;
      const send = (reply: FastifyReply, resource: FhirResource) =>
        reply.type(FHIR_CONTENT_TYPE).send(resource);
      const bundle = (request: FastifyRequest, page: ReturnType<typeof pageOf>, all: FhirResource[]) =>
        searchBundle(
          request.url,
          baseUrl,
          page,
          all.length,
          all.slice(page.offset, page.offset + page.count),
        );

      r.get('/R4/metadata', { schema: { hide: true }, config: pub }, async (_req, reply) =>
        send(reply, capabilityStatement(baseUrl)),
      );

      // Practitioner and Organization: listings by kind.
      for (const [type, kind] of [
        ['Practitioner', 'practitioner'],
        ['Organization', 'clinic'],
      ] as const) {
        r.get(
          `/R4/${type}/:id`,
          { schema: { hide: true, params: FhirIdParams }, config: pub },
          async (req, reply) => {
            const l = await directory.listing(req.params.id);
            if (l.kind !== kind) throw notFound(`The ${type}`);
            return send(reply, providerResource(l));
          },
        );
        r.get(
          `/R4/${type}`,
          { schema: { hide: true, querystring: FhirDirectorySearch }, config: pub },
          async (req, reply) => {
            const q = req.query;
            const all = (await directory.listings(kind)).filter(
              (l) => (!q._id || l.id === q._id) && matches(l, q),
            );
            return send(reply, bundle(req, pageOf(q), all.map(providerResource)));
          },
        );
      }

      r.get(
        '/R4/Location/:id',
        { schema: { hide: true, params: FhirIdParams }, config: pub },
        async (req, reply) => send(reply, locationResource(await directory.listing(req.params.id))),
      );
      r.get(
        '/R4/Location',
        { schema: { hide: true, querystring: FhirDirectorySearch }, config: pub },
        async (req, reply) => {
          const q = req.query;
          const all = (await directory.listings()).filter((l) => (!q._id || l.id === q._id) && matches(l, q));
          return send(reply, bundle(req, pageOf(q), all.map(locationResource)));
        },
      );

      r.get(
        '/R4/HealthcareService/:id',
        { schema: { hide: true, params: FhirIdParams }, config: pub },
        async (req, reply) => {
          const { listing, service } = await directory.service(req.params.id);
          return send(reply, healthcareServiceResource(listing, service));
        },
      );
      r.get(
        '/R4/HealthcareService',
        { schema: { hide: true, querystring: FhirDirectorySearch }, config: pub },
        async (req, reply) => {
          const q = req.query;
          const all = (await directory.services()).filter(
            (of) =>
              (!q._id || of.service.id === q._id) &&
              (!q.name || of.service.name.toLowerCase().includes(q.name.toLowerCase())) &&
              matchesService(of, q),
          );
          return send(
            reply,
            bundle(
              req,
              pageOf(q),
              all.map((of) => healthcareServiceResource(of.listing, of.service)),
            ),
          );
        },
      );

      r.get(
        '/R4/Schedule/:id',
        { schema: { hide: true, params: FhirIdParams }, config: pub },
        async (req, reply) => {
          const { listing, service } = await directory.service(req.params.id);
          return send(reply, scheduleResource(listing, service, directory.horizon(listing)));
        },
      );
      r.get(
        '/R4/Schedule',
        { schema: { hide: true, querystring: FhirScheduleSearch }, config: pub },
        async (req, reply) => {
          const q = req.query;
          const actor = q.actor ? referenceId(q.actor) : undefined;
          const all = (await directory.services()).filter(
            (of) =>
              (!q._id || of.service.id === q._id) &&
              (!actor || of.listing.id === actor || of.service.id === actor) &&
              matchesService(of, q),
          );
          return send(
            reply,
            bundle(
              req,
              pageOf(q),
              all.map((of) => scheduleResource(of.listing, of.service, directory.horizon(of.listing))),
            ),
          );
        },
      );

      r.get(
        '/R4/Slot/:id',
        { schema: { hide: true, params: FhirIdParams }, config: pub },
        async (req, reply) => {
          const { listing, service, slot } = await directory.slot(req.params.id);
          return send(reply, slotResource(listing, service, slot));
        },
      );
      r.get(
        '/R4/Slot',
        { schema: { hide: true, querystring: FhirSlotSearch }, config: pub },
        async (req, reply) => {
          const q = req.query;
          const range = directory.slotRange(dateRange(q.start, 'start'));
          const schedule = q.schedule ? referenceId(q.schedule) : undefined;
          const services = schedule
            ? [await directory.service(schedule)]
            : (await directory.services()).filter((of) => matchesService(of, q));
          const statuses = q.status ? q.status.split(',').map(tokenCode) : null;
          const all: FhirResource[] = [];
          for (const of of services) {
            for (const slot of await directory.slots(of, range)) {
              if (!statuses || statuses.includes(slot.status))
                all.push(slotResource(of.listing, of.service, slot));
            }
          }
          return send(reply, bundle(req, pageOf(q), all));
        },
      );

      /** A clinical resource's read and search: signed in; the clinical service checks and audits. */
      const clinicalRoutes = <S extends TSchema>(
        type: string,
        search: S,
        read: (principal: Principal, id: string, meta: RequestMeta) => Promise<FhirResource>,
        list: (
          principal: Principal,
          q: Static<S>,
          page: SearchPage,
          meta: RequestMeta,
        ) => Promise<{ total: number; resources: FhirResource[] }>,
      ) => {
        r.get(
          `/R4/${type}/:id`,
          { schema: { hide: true, params: FhirIdParams }, config: priv },
          async (req, reply) => send(reply, await read(principalOf(req), req.params.id, metaOf(req))),
        );
        r.get(
          `/R4/${type}`,
          { schema: { hide: true, querystring: search }, config: priv },
          async (req, reply) => {
            const q = req.query as Static<S> & Parameters<typeof pageOf>[0];
            const page = pageOf(q);
            const { total, resources } = await list(principalOf(req), q, page, metaOf(req));
            return send(reply, searchBundle(req.url, baseUrl, page, total, resources));
          },
        );
      };
      clinicalRoutes(
        'Appointment',
        FhirAppointmentSearch,
        (p, id, meta) => clinical.appointment(p, id, meta),
        (p, q, page, meta) => clinical.appointments(p, q, page, meta),
      );
      clinicalRoutes(
        'Patient',
        FhirPatientSearch,
        (p, id, meta) => clinical.patient(p, id, meta),
        (p, q, page, meta) => clinical.patients(p, q, page, meta),
      );
      extra(scope);
    },
    { prefix: '/fhir' },
  );
}
