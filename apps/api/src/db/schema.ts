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

/** The inventory database: accounts, audit trail, listings, services, availability. */
export interface InventoryDatabase {
  users: UsersTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  audit_events: AuditEventsTable;
}

/** The booking database: bookings, claims, payments (tables arrive with the bookings module). */
export type BookingDatabase = Record<string, never>;
