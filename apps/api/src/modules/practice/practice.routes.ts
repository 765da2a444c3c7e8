import { PracticeSchedule, PracticeScheduleQuery } from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Adapters, Services } from '../../container';
import { bookingDatabases } from '../../container-bookings';
import { metaOf, principalOf } from '../../http/auth-plugin';
import { PracticeRepository } from './practice.repository';
import { PracticeScheduleService } from './practice-schedule.service';

/** Wires the practice schedule (the provider dashboard's calendar) and registers its route. */
export function registerPracticeSchedule(app: FastifyInstance, services: Services, adapters: Adapters): void {
  const practice = new PracticeScheduleService({
    // The schedule's past may be read on the first booking database's replicas (BOOKING_REPLICA_URLS).
    repo: new PracticeRepository(
      bookingDatabases(adapters.dbs).map((d) => d.db),
      adapters.dbs.inventory.db,
      adapters.dbs.bookingsRead?.db,
    ),
    providers: services.providers,
    archive: services.archiveReads,
    audit: services.audit,
    clock: adapters.clock,
    privacy: services.privacy,
  });
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/api/v1/practice/schedule',
    {
      schema: {
        tags: ['bookings'],
        summary:
          'Your practice’s bookings in a range with who is coming (name, contact, new or returning, reason) and the opening hours (providers, their staff, admins; audited)',
        querystring: PracticeScheduleQuery,
        response: { 200: PracticeSchedule },
      },
      config: {
        docs: {
          auth: 'required',
          problems: {
            400: 'VALIDATION_FAILED: a range that is empty or longer than allowed; an admin without providerId',
            403: 'Patients',
            404: 'A listing you do not manage',
          },
        },
      },
    },
    async (request) => practice.schedule(principalOf(request), request.query, metaOf(request)),
  );
}
