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
}

/** The inventory database: accounts, audit trail, listings, services, availability. */
export interface InventoryDatabase {
  users: UsersTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  audit_events: AuditEventsTable;
  providers: ProvidersTable;
  provider_services: ProviderServicesTable;
  inventory_outbox: OutboxTable;
}

/** The booking database: bookings, claims, payments (tables arrive with the bookings module). */
export type BookingDatabase = Record<string, never>;
