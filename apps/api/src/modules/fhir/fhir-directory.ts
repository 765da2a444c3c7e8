import type { Listing, Service } from '@carebook/contracts';
import { DomainError, notFound } from '../../domain/errors';
import type { Clock } from '../../ports/clock';
import type { AvailabilityService } from '../availability/availability.service';
import type { ProvidersService } from '../providers/providers.service';
import type { FhirRepository } from './fhir.repository';
import { type ComputedSlot, computeServiceSlots, parseSlotId } from './slots';

const DAY = 86_400_000;
/** Slot searches without an end look this far ahead; no search spans more than the availability limit. */
export const DEFAULT_SLOT_DAYS = 14;
export const MAX_SLOT_DAYS = 62;

export interface ServiceOf {
  listing: Listing;
  service: Service;
}

/** Published listings and their active services: what the FHIR directory resources are made from. */
export class FhirDirectory {
  constructor(
    private readonly d: {
      repo: FhirRepository;
      providers: ProvidersService;
      availability: AvailabilityService;
      clock: Clock;
    },
  ) {}

  /** One published listing (NOT_FOUND for drafts and suspended ones, as on REST). */
  listing(id: string): Promise<Listing> {
    return this.d.providers.get(null, id);
  }

  async listings(kind?: Listing['kind']): Promise<Listing[]> {
    const ids = await this.d.repo.publishedListingIds(kind);
    const out: Listing[] = [];
    // Listings are cached by the providers service; read them a few at a time.
    for (let i = 0; i < ids.length; i += 16) {
      const batch = await Promise.all(
        ids.slice(i, i + 16).map((id) =>
          // Unpublished between the two reads: leave it out. Anything else is a real failure.
          this.d.providers.get(null, id).catch((err: unknown) => {
            if (err instanceof DomainError && err.code === 'NOT_FOUND') return null;
            throw err;
          }),
        ),
      );
      for (const l of batch) if (l) out.push(l);
    }
    return out;
  }

  async services(listings?: Listing[]): Promise<ServiceOf[]> {
    return (listings ?? (await this.listings())).flatMap((listing) =>
      listing.services.filter((s) => s.active).map((service) => ({ listing, service })),
    );
  }

  async service(serviceId: string): Promise<ServiceOf> {
    const listingId = await this.d.repo.listingOfService(serviceId);
    if (!listingId) throw notFound('The service');
    const listing = await this.listing(listingId);
    const service = listing.services.find((s) => s.id === serviceId && s.active);
    if (!service) throw notFound('The service');
    return { listing, service };
  }

  /** The planning horizon of a schedule: from now to the listing's booking horizon. */
  horizon(listing: Listing) {
    const now = this.d.clock.now().getTime();
    return {
      start: new Date(now).toISOString(),
      end: new Date(now + listing.schedule.bookingHorizonDays * DAY).toISOString(),
    };
  }

  /** Clamps a requested slot range: from now (default) for 14 days, at most 62. */
  slotRange(range: { from?: number | undefined; to?: number | undefined }) {
    const now = this.d.clock.now().getTime();
    const from = Math.max(range.from ?? now, now);
    const to = range.to ?? from + DEFAULT_SLOT_DAYS * DAY;
    if (to - from > MAX_SLOT_DAYS * DAY) {
      throw new DomainError('VALIDATION_FAILED', `A slot search spans at most ${MAX_SLOT_DAYS} days.`, {
        errors: [{ path: '/query/start', message: `must span at most ${MAX_SLOT_DAYS} days` }],
      });
    }
    return { from, to, now };
  }

  slots(of: ServiceOf, range: { from: number; to: number; now: number }): Promise<ComputedSlot[]> {
    return computeServiceSlots(this.d.availability, of.listing, of.service, range);
  }

  /** One slot by id, with its current status; NOT_FOUND when it is not on the schedule's grid. */
  async slot(id: string): Promise<ServiceOf & { slot: ComputedSlot }> {
    const parsed = parseSlotId(id);
    if (!parsed) throw notFound('The slot');
    const of = await this.service(parsed.serviceId);
    const now = this.d.clock.now().getTime();
    const slots = await this.slots(of, { from: parsed.start, to: parsed.start + 1, now });
    const slot = slots.find((s) => s.start === parsed.start);
    if (!slot) throw notFound('The slot');
    return { ...of, slot };
  }
}
