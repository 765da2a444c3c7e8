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
  /** Set when the account was erased (GDPR Art. 17): the row is then a pseudonym. */
  erased_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the owner proved the address (the verification link, or a password reset); null until then. */
  email_verified_at: string | null;
}

/** A patient's phone and date of birth, sealed with their data key; the language in clear. */
export interface PatientProfilesTable {
  user_id: string;
  phone_sealed: string | null;
  birth_date_sealed: string | null;
  preferred_language: string | null;
  updated_at: string;
}

/** A provider's invitation of a staff member by e-mail; the link token is stored as SHA-256 only. */
export interface StaffInvitationsTable {
  id: string;
  provider_id: string;
  email: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  accepted_user_id: string | null;
  revoked_at: string | null;
}

/** Single-use links sent by e-mail (verification, password reset): only the SHA-256 is stored. */
export interface AccountTokensTable {
  id: string;
  user_id: string;
  purpose: 'email_verification' | 'password_reset';
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
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
  /** 1: patients may book recurring series (migration 20261207T0900-recurring-series). */
  allow_recurring: number;
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
  /** Legacy plaintext number (rows from before sealing; `npm run rotate-keys` seals them); null on new rows. */
  phone: string | null;
  /** The number sealed with the patient's data key. */
  phone_sealed: string | null;
  /** Keyed hash of the number (privacy/blind-index.ts, purpose sms-phone): the STOP/START lookup. */
  phone_index: string | null;
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
  /** Legacy plaintext number; '' on rows whose number is sealed. */
  to_phone: string;
  /** The number sealed with the patient's data key. */
  to_phone_sealed: string | null;
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
  /** Legacy plaintext number; '' on rows whose number is sealed. */
  to_phone: string;
  /** Sealed with the data key of `user_id` (the system key when the account is not known). */
  to_phone_sealed: string | null;
  user_id: string | null;
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
  /** Sealed with the data key of `patient_id` (or, on older rows, of `user_id`). */
  title: string;
  body: string;
  /** The patient the notification is about, whose data key seals title and body. */
  patient_id: string | null;
  created_at: string;
  read_at: string | null;
  /** When the e-mail for the same event and recipient was accepted by the mailer. */
  emailed_at: string | null;
  /**
   * Until when the handler sending that e-mail holds it (set on insert, or taken over once it ran
   * out); another delivery of the same event leaves the mail alone meanwhile.
   */
  mail_claimed_until: string | null;
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

/** Which booking database holds a bucket of providers (db/shards); no row: the first one. */
export interface BookingBucketsTable {
  bucket: number;
  shard: number;
  updated_at: string;
}

/** The inventory database: accounts, audit trail, listings, services, notifications, dev mailbox. */
export interface InventoryDatabase {
  users: UsersTable;
  account_tokens: AccountTokensTable;
  patient_profiles: PatientProfilesTable;
  staff_invitations: StaffInvitationsTable;
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
  booking_buckets: BookingBucketsTable;
}

export type * from './booking-schema';
