import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config';
import type { Adapters, Services } from '../../container';
import { bookingDatabases } from '../../container-bookings';
import { bookingBridge } from './booking-bridge';
import { BulkPublisher } from './bulk-publish';
import { FhirRepository } from './fhir.repository';
import { fhirRoutes } from './fhir.routes';
import { FhirClinical } from './fhir-clinical';
import { FhirDirectory } from './fhir-directory';
import { schedulingRoutes } from './scheduling.routes';

/** Wires and registers the FHIR R4 facade (`/fhir/R4`) and SMART Scheduling Links (`/fhir/$bulk-publish`). */
export async function registerFhir(
  app: FastifyInstance,
  services: Services,
  adapters: Adapters,
  config: Config,
): Promise<void> {
  const repo = new FhirRepository(
    adapters.dbs.inventory.db,
    bookingDatabases(adapters.dbs).map((d) => d.db),
    (adapters.dbs.inventoryRead ?? adapters.dbs.inventory).db,
  );
  const clock = adapters.clock;
  const directory = new FhirDirectory({
    repo,
    providers: services.providers,
    availability: services.availability,
    clock,
  });
  const bookings = bookingBridge(services.bookings);
  const baseUrl = `${config.publicUrl.replace(/\/$/, '')}/fhir/R4`;
  const clinical = new FhirClinical({
    bookings,
    users: services.users,
    repo,
    directory,
    audit: services.audit,
  });
  const bulk = new BulkPublisher({
    directory,
    repo,
    fhirUrl: `${config.publicUrl.replace(/\/$/, '')}/fhir`,
    webUrl: config.publicUrl,
    now: () => clock.now().getTime(),
  });
  await fhirRoutes(app, { directory, clinical, baseUrl }, (scope) =>
    schedulingRoutes(scope, { directory, bookings, bulk, baseUrl }),
  );
}
