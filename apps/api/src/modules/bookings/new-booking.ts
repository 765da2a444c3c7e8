import type { CreateBookingBody, Listing } from '@carebook/contracts';
import { idInBucketOf } from '../../db/shards/buckets';
import { DomainError, notFound } from '../../domain/errors';
import { toDbTime } from '../../ports/clock';
import { computeSlots } from '../availability/domain';
import type { BookingRow } from './bookings.repository';
import { UNIT_MS } from './claims';

const MINUTE = 60_000;

/**
 * The row of a new booking (status `pending`, holding its time until `holdMinutes` from now), or
 * a refusal: an unknown or inactive service, a listing closed to new patients, a start time that
 * is not one of the offered slots.
 */
export function newBookingRow(
  patientId: string,
  listing: Listing,
  body: CreateBookingBody,
  now: number,
  holdMinutes: number,
): BookingRow {
  const service = listing.services.find((s) => s.id === body.serviceId && s.active);
  if (!service) throw notFound('The service');
  if (body.newPatient && !listing.acceptingNewPatients) {
    throw new DomainError('NOT_BOOKABLE', `${listing.name} is not accepting new patients at the moment.`);
  }
  const start = Date.parse(body.start);
  const { cancellationWindowHours, ...schedule } = listing.schedule;
  const offered = computeSlots({
    schedule: { ...schedule, timeZone: listing.timeZone },
    service,
    busy: [],
    now,
    from: start,
    to: start + 1,
  });
  if (offered[0]?.start !== start || start % UNIT_MS !== 0) {
    throw new DomainError(
      'NOT_BOOKABLE',
      'That start time is not one of the bookable slots (check opening hours, notice and horizon).',
    );
  }
  const end = start + service.durationMinutes * MINUTE;
  const at = toDbTime(new Date(now));
  return {
    id: idInBucketOf(listing.id),
    patient_id: patientId,
    provider_id: listing.id,
    owner_id: listing.ownerId,
    service_id: service.id,
    provider_name: listing.name,
    service_name: service.name,
    time_zone: listing.timeZone,
    start_at: toDbTime(new Date(start)),
    end_at: toDbTime(new Date(end)),
    block_start_at: toDbTime(new Date(start - service.bufferBeforeMinutes * MINUTE)),
    block_end_at: toDbTime(new Date(end + service.bufferAfterMinutes * MINUTE)),
    status: 'pending',
    price_cents: service.priceCents,
    currency: service.currency,
    reason_for_visit: body.reasonForVisit.trim(),
    new_patient: body.newPatient ? 1 : 0,
    cancellation_window_hours: cancellationWindowHours,
    hold_expires_at: toDbTime(new Date(now + holdMinutes * MINUTE)),
    payment_intent_id: null,
    payment_client_secret: null,
    payment_checkout_url: null,
    payment_status: null,
    refunded_cents: 0,
    rescheduled_from: null,
    rescheduled_to: null,
    reminder_sent_at: null,
    version: 1,
    created_at: at,
    updated_at: at,
  };
}
