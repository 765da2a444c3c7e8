import type { Listing, Service, ServiceInput } from '@carebook/contracts';
import { notFound } from '../../domain/errors';
import { newId } from '../../lib/ids';
import type { Principal } from '../../lib/request-meta';
import { type Clock, toDbTime } from '../../ports/clock';
import type { ListingChanges } from './listing-changes';
import { serviceColumns } from './listing-mapper';
import type { ProvidersRepository } from './providers.repository';
import type { ProvidersService } from './providers.service';

/** A listing's bookable services: each change is a listing change (version, event, cache). */
export class ListingServices {
  constructor(
    private readonly d: {
      providers: Pick<ProvidersService, 'get'>;
      repo: ProvidersRepository;
      changes: ListingChanges;
      clock: Clock;
    },
  ) {}

  async list(principal: Principal | null, id: string): Promise<{ items: Service[]; version: number }> {
    const listing = await this.d.providers.get(principal, id);
    return { items: listing.services, version: listing.version };
  }

  async add(
    principal: Principal,
    id: string,
    expected: number,
    input: ServiceInput,
  ): Promise<{ listing: Listing; serviceId: string }> {
    const serviceId = newId();
    const listing = await this.d.changes.apply(
      principal,
      id,
      expected,
      'provider.availability.changed',
      async (_r, _s, trx) => {
        await this.d.repo.insertService(
          {
            id: serviceId,
            provider_id: id,
            created_at: toDbTime(this.d.clock.now()),
            ...serviceColumns(input),
          },
          trx,
        );
        return {};
      },
    );
    return { listing, serviceId };
  }

  replace(
    principal: Principal,
    id: string,
    serviceId: string,
    expected: number,
    input: ServiceInput,
  ): Promise<Listing> {
    return this.d.changes.apply(
      principal,
      id,
      expected,
      'provider.availability.changed',
      async (_row, _services, trx) => {
        if (!(await this.d.repo.updateService(serviceId, id, serviceColumns(input), trx))) {
          throw notFound('The service');
        }
        return {};
      },
    );
  }
}
