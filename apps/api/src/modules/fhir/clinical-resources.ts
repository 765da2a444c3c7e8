import type { Booking, Listing } from '@carebook/contracts';
import type { UserRow } from '../accounts/users.repository';
import { appointmentStatusOf } from './appointment-status';
import { providerType, serviceTypeConcept } from './directory-resources';
import { EXTENSIONS, type FhirResource, reference, SYSTEMS } from './fhir-types';
import { slotId } from './slots';

/** What the patient still has to pay on a held (payment-pending) booking, as extensions. */
function paymentExtensions(b: Booking) {
  const out: { url: string; [value: string]: unknown }[] = [];
  if (b.holdExpiresAt && (b.status === 'pending' || b.status === 'payment_pending'))
    out.push({ url: EXTENSIONS.holdExpires, valueDateTime: b.holdExpiresAt });
  if (b.status === 'payment_pending' && b.priceCents > 0) {
    out.push({ url: EXTENSIONS.amountDue, valueMoney: { value: b.priceCents / 100, currency: b.currency } });
    if (b.payment?.checkoutUrl) out.push({ url: EXTENSIONS.paymentUrl, valueUrl: b.payment.checkoutUrl });
  }
  return out;
}

/** A booking as an `Appointment` (status mapped by `appointmentStatusOf`). */
export function appointmentResource(b: Booking, kind: Listing['kind'] | null): FhirResource {
  const status = appointmentStatusOf[b.status];
  const extension = paymentExtensions(b);
  const provider = kind
    ? [
        {
          actor: reference(providerType({ kind }), b.providerId, b.providerName),
          required: 'required',
          status: 'accepted',
        },
      ]
    : [];
  return {
    resourceType: 'Appointment',
    id: b.id,
    meta: { versionId: String(b.version), lastUpdated: b.updatedAt },
    ...(extension.length ? { extension } : {}),
    identifier: [{ system: 'urn:carebook:booking', value: b.id }],
    status,
    ...(status === 'cancelled'
      ? {
          cancelationReason: {
            coding: [{ system: SYSTEMS.bookingStatus, code: b.status }],
            ...(b.history.at(-1)?.reason ? { text: b.history.at(-1)?.reason } : {}),
          },
        }
      : {}),
    serviceType: [serviceTypeConcept({ id: b.serviceId, name: b.serviceName })],
    description: `${b.serviceName} with ${b.providerName}`,
    start: b.start,
    end: b.end,
    minutesDuration: Math.round((Date.parse(b.end) - Date.parse(b.start)) / 60_000),
    slot: [reference('Slot', slotId(b.serviceId, Date.parse(b.start)))],
    created: b.createdAt,
    ...(b.reasonForVisit ? { comment: b.reasonForVisit } : {}),
    participant: [
      { actor: reference('Patient', b.patientId), required: 'required', status: 'accepted' },
      ...provider,
      {
        actor: reference('HealthcareService', b.serviceId, b.serviceName),
        required: 'required',
        status: 'accepted',
      },
      {
        actor: reference('Location', b.providerId, b.providerName),
        required: 'required',
        status: 'accepted',
      },
    ],
  };
}

/** A free slot offered by `$find`: a `proposed` Appointment for that slot. */
export function proposedAppointment(
  listing: Listing,
  service: { id: string; name: string },
  start: number,
  end: number,
): FhirResource {
  return {
    resourceType: 'Appointment',
    id: `proposed.${slotId(service.id, start)}`.slice(0, 64),
    status: 'proposed',
    serviceType: [serviceTypeConcept(service)],
    description: `${service.name} with ${listing.name}`,
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    minutesDuration: Math.round((end - start) / 60_000),
    slot: [reference('Slot', slotId(service.id, start))],
    participant: [
      ...(listing.kind === 'practitioner'
        ? [
            {
              actor: reference('Practitioner', listing.id, listing.name),
              required: 'required',
              status: 'needs-action',
            },
          ]
        : []),
      {
        actor: reference('HealthcareService', service.id, service.name),
        required: 'required',
        status: 'needs-action',
      },
      {
        actor: reference('Location', listing.id, listing.name),
        required: 'required',
        status: 'needs-action',
      },
    ],
  };
}

/** A user as a `Patient`: name and e-mail, nothing else is stored. */
export function patientResource(
  u: Pick<UserRow, 'id' | 'display_name' | 'email' | 'status' | 'updated_at'>,
): FhirResource {
  return {
    resourceType: 'Patient',
    id: u.id,
    meta: { lastUpdated: u.updated_at },
    active: u.status === 'active',
    name: [{ text: u.display_name }],
    telecom: [{ system: 'email', value: u.email, use: 'home' }],
  };
}
