import type { OutboxMarksTable, OutboxTable, PaymentStartsTable } from './schema';

/**
 * The booking database's tables (one logical database; `schema.ts` re-exports them). The outbox
 * tables have the same shape in both databases and are declared in `schema.ts`.
 */
export interface BookingsTable {
  id: string;
  patient_id: string;
  provider_id: string;
  /** The listing owner's account: providers and their staff see bookings by it. */
  owner_id: string;
  service_id: string;
  provider_name: string;
  service_name: string;
  time_zone: string;
  start_at: string;
  end_at: string;
  /** The claimed interval: start − buffer before, end + buffer after. */
  block_start_at: string;
  block_end_at: string;
  status:
    | 'pending'
    | 'payment_pending'
    | 'confirmed'
    | 'in_progress'
    | 'completed'
    | 'cancelled'
    | 'expired'
    | 'no_show';
  price_cents: number;
  currency: string;
  reason_for_visit: string;
  new_patient: number;
  cancellation_window_hours: number;
  hold_expires_at: string | null;
  payment_intent_id: string | null;
  payment_client_secret: string | null;
  payment_checkout_url: string | null;
  payment_status: string | null;
  refunded_cents: number;
  rescheduled_from: string | null;
  rescheduled_to: string | null;
  reminder_sent_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface BookingClaimsTable {
  provider_id: string;
  /** 5-minute unit since the epoch: floor(epochMs / 300000). */
  unit: number;
  booking_id: string;
}

export interface BookingHistoryTable {
  id: string;
  booking_id: string;
  at: string;
  from_status: string | null;
  to_status: string;
  actor_role: string;
  actor_id: string | null;
  reason: string | null;
}

export interface IdempotencyKeysTable {
  user_id: string;
  idem_key: string;
  request_hash: string;
  booking_id: string;
  response_status: number | null;
  response_body: string | null;
  created_at: string;
}

export interface PaymentEventsTable {
  event_id: string;
  type: string;
  booking_id: string | null;
  processed_at: string;
}

/** The SQL archive of finished bookings (see adapters/archive/README.md). */
export interface ArchivedBookingsTable {
  id: string;
  patient_id: string;
  owner_id: string;
  provider_id: string;
  status: string;
  start_at: string;
  updated_at: string;
  version: number;
  /** JSON ArchivedBooking: the booking row and its history. */
  record: string;
}

/** Bookings the archival job is moving: marked before the archive write, deleted with the booking. */
export interface BookingArchivalTable {
  booking_id: string;
  marked_at: string;
}

/** A scheduled job's lease (jobs/lease.ts): `holder` may run job `name` until `expires_at`. */
export interface JobLeasesTable {
  name: string;
  holder: string;
  expires_at: string;
  acquired_at: string;
  generation: number;
  renewals: number;
}

/** Listing reads per listing and UTC hour, summed over every instance (jobs/cache-warming.ts). */
export interface ListingViewsTable {
  listing_id: string;
  hour: string;
  views: number;
}

/** The simulated payment provider's tables (adapters/payments/simulated.ts; unused with Stripe). */
export interface SimulatedPaymentIntentsTable {
  id: string;
  booking_id: string;
  amount_cents: number;
  currency: string;
  description: string;
  status: 'requires_payment_method' | 'succeeded' | 'canceled';
  client_secret: string;
  idempotency_key: string;
  request_hash: string;
  last_decline_code: string | null;
  refunded_cents: number;
  created_at: string;
  updated_at: string;
}

export interface SimulatedPaymentRefundsTable {
  id: string;
  payment_intent_id: string;
  amount_cents: number;
  reason: string;
  idempotency_key: string;
  request_hash: string;
  created_at: string;
}

export interface SimulatedPaymentDeliveriesTable {
  id: string;
  payload: string;
  created_at: string;
  attempts: number;
  next_attempt_at: string;
  delivered_at: string | null;
  last_error: string | null;
}

/** A verified review of one completed booking (modules/reviews; migration 20261206T2010-reviews). */
export interface ReviewsTable {
  id: string;
  booking_id: string;
  provider_id: string;
  owner_id: string;
  patient_id: string;
  service_name: string;
  rating: number;
  text: string;
  author: string;
  created_at: string;
  reply_text: string | null;
  reply_by: string | null;
  replied_at: string | null;
  hidden_at: string | null;
  hidden_reason: string | null;
  hidden_by: string | null;
}

/**
 * The booking database: bookings, claims, idempotency keys, payment events, its own outbox, and
 * the simulated payment provider's tables (embedded profile; unused with Stripe).
 */
/** A recurring series (migration 20261207T0901-booking-series); its bookings are ordinary rows. */
export interface BookingSeriesTable {
  id: string;
  patient_id: string;
  provider_id: string;
  owner_id: string;
  service_id: string;
  time_zone: string;
  /** The first occurrence's local wall-clock start, `YYYY-MM-DDTHH:mm:ss` in time_zone. */
  local_start: string;
  interval_weeks: number;
  occurrences: number;
  booked_by: string;
  idem_key: string;
  request_hash: string;
  created_at: string;
}

export interface BookingSeriesOccurrencesTable {
  series_id: string;
  /** 1-based */
  occurrence: number;
  booking_id: string;
}

/** One patient waiting for a time (modules/waitlist; migration 20261207T1000-waitlist). */
export interface WaitlistEntriesTable {
  id: string;
  patient_id: string;
  provider_id: string;
  owner_id: string;
  service_id: string;
  /** Local dates (YYYY-MM-DD) in the listing's zone; null with `earlier_than_booking_id`. */
  from_date: string | null;
  to_date: string | null;
  /** Bit i set = weekday i (0 = Sunday) is fine. */
  weekdays: number;
  day_part: 'any' | 'morning' | 'afternoon' | 'evening';
  earlier_than_booking_id: string | null;
  status: 'waiting' | 'offered' | 'booked' | 'left';
  created_at: string;
  updated_at: string;
}

/** A time held for a waiting patient: the hold booking and until when (migration 20261207T1000-waitlist). */
export interface WaitlistOffersTable {
  id: string;
  entry_id: string;
  booking_id: string;
  slot_start: string;
  expires_at: string;
  status: 'offered' | 'accepted' | 'declined' | 'expired';
  created_at: string;
  updated_at: string;
}

/** Buckets moving or moved off this database: writes of their providers' rows are refused here. */
export interface MovedBucketsTable {
  bucket: number;
  moved_at: string;
}

export interface BookingDatabase {
  bookings: BookingsTable;
  booking_claims: BookingClaimsTable;
  booking_history: BookingHistoryTable;
  idempotency_keys: IdempotencyKeysTable;
  payment_events: PaymentEventsTable;
  bookings_outbox: OutboxTable;
  bookings_outbox_marks: OutboxMarksTable;
  payment_starts: PaymentStartsTable;
  archived_bookings: ArchivedBookingsTable;
  booking_archival: BookingArchivalTable;
  job_leases: JobLeasesTable;
  listing_views: ListingViewsTable;
  simulated_payment_intents: SimulatedPaymentIntentsTable;
  simulated_payment_refunds: SimulatedPaymentRefundsTable;
  simulated_payment_deliveries: SimulatedPaymentDeliveriesTable;
  reviews: ReviewsTable;
  booking_series: BookingSeriesTable;
  booking_series_occurrences: BookingSeriesOccurrencesTable;
  waitlist_entries: WaitlistEntriesTable;
  waitlist_offers: WaitlistOffersTable;
  moved_buckets: MovedBucketsTable;
}
