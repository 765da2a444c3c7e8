import { BOOKING_DEEP_LINK_PATH, type Listing, type Service } from '@carebook/contracts';
import type { AvailabilityService } from '../availability/availability.service';
import { computeSlots } from '../availability/domain';
import { serviceTypeConcept, specialtyConcepts } from './directory-resources';
import { EXTENSIONS, type FhirResource, reference } from './fhir-types';

export type SlotStatus = 'free' | 'busy' | 'busy-unavailable';

export interface ComputedSlot {
  start: number;
  end: number;
  status: SlotStatus;
}

const MINUTE = 60_000;

/** A slot's id: the schedule (service) id and the start in epoch minutes; at most 45 characters. */
export const slotId = (serviceId: string, start: number) => `${serviceId}.${Math.round(start / MINUTE)}`;

export function parseSlotId(id: string): { serviceId: string; start: number } | null {
  const m = /^([0-9a-f-]{36})\.(\d{1,10})$/.exec(id);
  return m?.[1] && m[2] ? { serviceId: m[1], start: Number(m[2]) * MINUTE } : null;
}

/**
 * Every slot of one service in [from, to): `free` ones come from the availability service (what
 * REST offers and a booking may take); the rest of the grid is `busy` (booked or held) or
 * `busy-unavailable` (the provider's time off).
 */
export async function computeServiceSlots(
  availability: AvailabilityService,
  listing: Listing,
  service: Service,
  range: { from: number; to: number; now: number },
): Promise<ComputedSlot[]> {
  if (range.to <= range.from) return [];
  const offered = await availability.slots(null, listing.id, {
    serviceId: service.id,
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
  });
  const free = new Set(offered.days.flatMap((d) => d.slots.map((s) => Date.parse(s.start))));
  const { cancellationWindowHours: _policy, ...schedule } = listing.schedule;
  const grid = (timeOff: Listing['schedule']['timeOff']) =>
    computeSlots({
      schedule: { ...schedule, timeOff, timeZone: listing.timeZone },
      service,
      busy: [],
      now: range.now,
      from: range.from,
      to: range.to,
    });
  const open = new Set(grid(schedule.timeOff).map((s) => s.start));
  return grid([]).map((s) => ({
    start: s.start,
    end: s.end,
    status: free.has(s.start) ? 'free' : open.has(s.start) ? 'busy' : 'busy-unavailable',
  }));
}

export function slotResource(
  listing: Listing,
  service: Service,
  slot: ComputedSlot,
  deepLink?: string,
): FhirResource {
  return {
    resourceType: 'Slot',
    id: slotId(service.id, slot.start),
    ...(deepLink && slot.status === 'free'
      ? { extension: [{ url: EXTENSIONS.bookingDeepLink, valueUrl: deepLink }] }
      : {}),
    serviceType: [serviceTypeConcept(service)],
    specialty: specialtyConcepts(listing.specialties),
    schedule: reference('Schedule', service.id),
    status: slot.status,
    start: new Date(slot.start).toISOString(),
    end: new Date(slot.end).toISOString(),
  };
}

/** The web app's page that offers this slot and starts its booking (apps/web `/book/slot`). */
export function bookingDeepLink(
  webUrl: string,
  listing: Pick<Listing, 'id'>,
  serviceId: string,
  start: number,
  params: { source?: string | undefined; 'booking-referral'?: string | undefined } = {},
): string {
  const url = new URL(BOOKING_DEEP_LINK_PATH, webUrl);
  url.searchParams.set('provider', listing.id);
  url.searchParams.set('service', serviceId);
  url.searchParams.set('start', new Date(start).toISOString());
  if (params.source) url.searchParams.set('source', params.source);
  if (params['booking-referral']) url.searchParams.set('booking-referral', params['booking-referral']);
  return url.toString();
}
