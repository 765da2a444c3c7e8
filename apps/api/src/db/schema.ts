import type { ColumnType } from 'kysely';

/**
 * Kysely table types. Booleans are 0/1 integers and datetimes fixed-width UTC ISO strings
 * (CHAR(24)) so both dialects store and compare them identically.
 */
export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  display_name: string;
  role: 'patient' | 'provider' | 'staff' | 'admin';
  status: 'active' | 'suspended';
  verified: number;
  provider_id: string | null;
  suspended_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: string;
  last_used_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_reason: string | null;
  ip: string | null;
  user_agent: string | null;
}

export interface RefreshTokensTable {
  id: string;
  session_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface AuditEventsTable {
  id: string;
  at: string;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: string;
  /** The hash chain (modules/audit/audit-chain.ts): position, previous row's hash, this row's. */
  seq: number;
  prev_hash: string;
  hash: string;
  /** Whose personal data the recorded action touched, and why. */
  patient_id: string | null;
  purpose: string | null;
}

/** One row (id 1): the last sequence number and hash of the audit chain; appends lock it. */
export interface AuditChainHeadTable {
  id: number;
  seq: number;
  hash: string;
}

/** A wrapped data key per patient (user_id) and one for 'system' secrets (modules/privacy). */
export interface PatientDataKeysTable {
  user_id: string;
  key_id: string;
  wrapped_key: string;
  kek_id: string;
  created_at: string;
  rotated_at: string | null;
}

/** Per key-encryption key, a value sealed with it: proves a configured key is the right one. */
export interface EncryptionKeyChecksTable {
  kek_id: string;
  check_value: string;
  created_at: string;
}

export interface ProvidersTable {
  id: string;
  owner_id: string;
  name: string;
  kind: 'practitioner' | 'clinic';
  /** JSON arrays */
  specialties: string;
  conditions: string;
  languages: string;
  insurance: string;
  gender: 'female' | 'male' | 'non-binary' | null;
  /** comma-separated: in-person,video */
  visit_types: string;
  accepting_new_patients: number;
  /** Optional (migration 20261206T1900); null when not given. */
  phone: string | null;
  bio: string;
  /** JSON Address */
  address: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  time_zone: string;
  /** JSON Schedule */
  schedule: string;
  /** JSON Photo[] and LicenceDocument-with-key[] */
  photos: string;
  documents: string;
  status: 'draft' | 'published' | 'suspended';
  suspended_reason: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  published_at: string | null;
}

export interface ProviderServicesTable {
  id: string;
  provider_id: string;
  name: string;
  description: string;
  duration_minutes: number;
  price_cents: number;
  currency: string;
  visit_type: 'in-person' | 'video';
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  active: number;
  created_at: string;
}

export interface OutboxTable {
  id: string;
  aggregate_type: string;
  aggregate_id: string;
  event_type: string;
  payload: string;
  occurred_at: string;
  published_at: string | null;
  attempts: number;
  last_error: string | null;
  /** W3C trace context of the writing request (null when tracing is off); migration 20261206T1500. */
  traceparent: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A user's private calendar feed: the token is the secret in its URL (modules/calendar-feeds). */
export interface CalendarFeedsTable {
  user_id: string;
  token: string;
  created_at: string;
}

/** SMS reminders (modules/messaging; migration 20261206T2000-messaging). */
export interface MessagingPreferencesTable {
  user_id: string;
  phone: string | null;
  /** Comma-separated: '', 'email', 'sms' or 'email,sms'. */
  reminder_channels: string;
  sms_consent_at: string | null;
  sms_consent_text: string | null;
  sms_opted_out_at: string | null;
  updated_at: string;
}

export interface RemindersSentTable {
  booking_id: string;
  offset_minutes: number;
  sent_at: string;
}

export interface SmsMessagesTable {
  id: string;
  user_id: string;
  booking_id: string | null;
  to_phone: string;
  body: string;
  provider_id: string | null;
  status: string;
  error: string | null;
  fallback_email_subject: string;
  fallback_email_text: string;
  fallback_emailed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface DevSmsInboxTable {
  id: string;
  sid: string;
  to_phone: string;
  body: string;
  created_at: string;
}

/** The outbox relay's marks on the event stream (migrations/outbox-table.ts). */
export interface OutboxMarksTable {
  id: string;
  epoch: string | null;
  acked_through: string | null;
  updated_at: string;
}

/** A paid booking still without its payment intent; `lease_until` guards the provider call. */
export interface PaymentStartsTable {
  booking_id: string;
  lease_until: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
}

/** In-app notifications (modules/notifications), one per event, recipient and channel. */
export interface NotificationsTable {
  id: string;
  user_id: string;
  booking_id: string;
  kind: string;
  title: string;
  body: string;
  created_at: string;
  read_at: string | null;
  /** When the e-mail for the same event and recipient was accepted by the mailer. */
  emailed_at: string | null;
  /** `${eventId}:${userId}:in_app` */
  dedupe_key: string;
}

/** The embedded profile's mailbox (adapters/mailer/dev-mailbox.ts). */
export interface DevMailboxTable {
  id: string;
  to_address: string;
  subject: string;
  text: string;
  html: string | null;
  /** JSON: StoredAttachment[] */
  attachments: string;
  created_at: string;
  idempotency_key: string;
}

/** The inventory database: accounts, audit trail, listings, services, notifications, dev mailbox. */
export interface InventoryDatabase {
  users: UsersTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  audit_events: AuditEventsTable;
  audit_chain_head: AuditChainHeadTable;
  patient_data_keys: PatientDataKeysTable;
  encryption_key_checks: EncryptionKeyChecksTable;
  providers: ProvidersTable;
  provider_services: ProviderServicesTable;
  inventory_outbox: OutboxTable;
  calendar_feeds: CalendarFeedsTable;
  inventory_outbox_marks: OutboxMarksTable;
  notifications: NotificationsTable;
  dev_mailbox: DevMailboxTable;
  messaging_preferences: MessagingPreferencesTable;
  reminders_sent: RemindersSentTable;
  sms_messages: SmsMessagesTable;
  dev_sms_inbox: DevSmsInboxTable;
}

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
}
