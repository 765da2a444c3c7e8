import type { Role } from '@carebook/contracts';

/** Who is asking, as the auth plugin established it for this request. */
export interface Principal {
  userId: string;
  role: Role;
  sessionId: string;
  /** For staff: the provider account they act for. For a provider: their own id. */
  actsForProviderId: string | null;
  /** The account's e-mail address is confirmed (read per request, like the role). */
  emailVerified: boolean;
}

/** Where a request came from, for the audit trail and throttling. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}
