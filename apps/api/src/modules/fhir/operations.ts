import type { Booking, FhirFindQuery } from '@carebook/contracts';
import { DomainError } from '../../domain/errors';
import type { Principal } from '../../lib/request-meta';
import type { FhirBookings } from './booking-bridge';
import { appointmentResource, proposedAppointment } from './clinical-resources';
import type { FhirDirectory } from './fhir-directory';
import type { FhirResource } from './fhir-types';
import { dateRange, referenceId, tokenCode } from './search-params';
import { parseSlotId } from './slots';

interface Parameter {
  name: string;
  valueString?: string;
  valueBoolean?: boolean;
  valueDateTime?: string;
  valueDate?: string;
  valueInstant?: string;
  valueReference?: { reference?: string };
  valueCoding?: { code?: string };
  valueCodeableConcept?: { coding?: { code?: string }[] };
  valueToken?: string;
  resource?: FhirResource;
}

const invalid = (detail: string, path = '/body/parameter') =>
  new DomainError('VALIDATION_FAILED', detail, { errors: [{ path, message: detail }] });

/** The `Parameters` of an operation, by name. */
export function parametersOf(body: unknown): Map<string, Parameter> {
  const params = (body as { parameter?: Parameter[] }).parameter ?? [];
  return new Map(params.map((p) => [p.name, p]));
}

/** `$find` criteria from a POSTed `Parameters` resource, in the GET form. */
export function findQueryOf(params: Map<string, Parameter>): FhirFindQuery {
  const text = (name: string) => {
    const p = params.get(name);
    const v =
      p?.valueString ??
      p?.valueDateTime ??
      p?.valueDate ??
      p?.valueInstant ??
      p?.valueReference?.reference ??
      p?.valueCoding?.code ??
      p?.valueCodeableConcept?.coding?.[0]?.code;
    return v === undefined ? {} : { [name]: v };
  };
  return {
    ...text('start'),
    ...text('end'),
    ...text('service-type'),
    ...text('specialty'),
    ...text('practitioner'),
    ...text('organization'),
    ...text('location'),
  } as FhirFindQuery;
}

/** At most this many offers are gathered for one `$find` (the range is at most 62 days). */
const MAX_OFFERS = 2000;

/**
 * ITI-115: free slots matching the criteria, as `proposed` Appointments, earliest first; the
 * whole (capped) list, for the caller to page with `_count` / `_offset`.
 */
export async function findAppointments(directory: FhirDirectory, q: FhirFindQuery): Promise<FhirResource[]> {
  const from = q.start ? dateRange(`ge${q.start.replace(/^(ge|gt|eq)/, '')}`, 'start').from : undefined;
  const to = q.end ? dateRange(`le${q.end.replace(/^(le|lt|eq)/, '')}`, 'end').to : undefined;
  const range = directory.slotRange({ from, to });
  const listingId = [q.practitioner, q.organization, q.location].find(Boolean);
  const serviceType = q['service-type'] ? tokenCode(q['service-type']) : undefined;
  const services = serviceType
    ? [await directory.service(serviceType)]
    : await directory.services(listingId ? [await directory.listing(referenceId(listingId))] : undefined);
  const offers: { start: number; resource: FhirResource }[] = [];
  for (const of of services) {
    if (listingId && of.listing.id !== referenceId(listingId)) continue;
    if (q.specialty && !(of.listing.specialties as string[]).includes(tokenCode(q.specialty))) continue;
    for (const slot of await directory.slots(of, range)) {
      if (slot.status === 'free' && slot.end <= range.to)
        offers.push({
          start: slot.start,
          resource: proposedAppointment(of.listing, of.service, slot.start, slot.end),
        });
    }
  }
  offers.sort((a, b) => a.start - b.start);
  return offers.slice(0, MAX_OFFERS).map((o) => o.resource);
}

/** The GET form of a `$find` (for the `self`/`next` links of a POSTed search). */
export function findUrl(q: FhirFindQuery): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && k !== '_offset') params.set(k, String(v));
  return `/fhir/R4/Appointment/$find?${params}`;
}

/** The slot an operation's `appointment` (or `slot`) parameter points at. */
function slotOf(params: Map<string, Parameter>): { serviceId: string; start: number } {
  const appointment = params.get('appointment')?.resource as { slot?: { reference?: string }[] } | undefined;
  const ref = appointment?.slot?.[0]?.reference ?? params.get('slot')?.valueReference?.reference;
  const parsed = ref ? parseSlotId(referenceId(ref)) : null;
  if (!parsed)
    throw invalid(
      'Name the slot: an "appointment" parameter from $find (with its slot reference) or a "slot" reference.',
    );
  return parsed;
}

/** ITI-116: holds the slot as a pending booking through the booking service REST uses. */
export async function holdAppointment(
  directory: FhirDirectory,
  bookings: FhirBookings,
  principal: Principal,
  params: Map<string, Parameter>,
  idempotencyKey: string | undefined,
): Promise<Booking> {
  const { serviceId, start } = slotOf(params);
  const { listing } = await directory.service(serviceId);
  const appointment = params.get('appointment')?.resource as { comment?: string } | undefined;
  const reason = params.get('reason')?.valueString ?? appointment?.comment ?? '';
  if (reason.length > 1000) throw invalid('The reason is at most 1000 characters.');
  return bookings.hold(
    principal,
    {
      providerId: listing.id,
      serviceId,
      start: new Date(start).toISOString(),
      reasonForVisit: reason,
      newPatient: params.get('new-patient')?.valueBoolean ?? false,
    },
    idempotencyKey,
  );
}

/**
 * ITI-117: books a held appointment (or holds and books a proposed one). A free hold is
 * confirmed (while it lasts); a paid one stays `pending` with the amount due and where to pay it, and becomes
 * `booked` when the payment succeeds (as on REST).
 */
export async function bookAppointment(
  directory: FhirDirectory,
  bookings: FhirBookings,
  principal: Principal,
  params: Map<string, Parameter>,
  idempotencyKey: string | undefined,
): Promise<Booking> {
  const appointment = params.get('appointment')?.resource as { id?: string; status?: string } | undefined;
  const held = appointment?.id && !appointment.id.startsWith('proposed.') ? appointment.id : undefined;
  const booking = await bookings.book(
    principal,
    held ?? (await holdAppointment(directory, bookings, principal, params, idempotencyKey)).id,
  );
  if (booking.status === 'cancelled' || booking.status === 'expired')
    throw new DomainError('INVALID_TRANSITION', `This appointment is ${booking.status}; find another slot.`);
  return booking;
}

/** The informational outcome a `$book` of a paid appointment carries: what to pay, and where. */
export function paymentOutcome(b: Booking): FhirResource | null {
  if (b.status !== 'payment_pending') return null;
  const amount = `${(b.priceCents / 100).toFixed(2)} ${b.currency}`;
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'information',
        code: 'informational',
        details: {
          text: `Payment of ${amount} is required to book${b.payment?.checkoutUrl ? ` at ${b.payment.checkoutUrl}` : ''}.`,
        },
      },
    ],
  };
}

export { appointmentResource };
