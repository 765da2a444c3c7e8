/** Plain-language labels for audit actions and purposes (the raw code stays visible beside them). */
const ACTIONS: Record<string, string> = {
  'auth.login_succeeded': 'Signed in',
  'auth.login_failed': 'Failed sign-in',
  'auth.logout': 'Signed out',
  'auth.refresh_token_reused': 'Stolen refresh token detected',
  'auth.password_changed': 'Changed password',
  'auth.session_revoked': 'Ended a session',
  'auth.registered': 'Created an account',
  'admin.bootstrapped': 'First admin created',
  'admin.role_changed': 'Changed a role',
  'admin.user_suspended': 'Suspended a user',
  'admin.user_unsuspended': 'Lifted a suspension',
  'admin.provider_verified': 'Verified a provider',
  'admin.listing_suspended': 'Suspended a listing',
  'admin.listing_unsuspended': 'Restored a listing',
  'access.users_listed': 'Viewed in the user list',
  'access.user_viewed': 'Viewed the account',
  'access.bookings_listed': 'Viewed in a booking list',
  'access.booking_viewed': 'Opened a booking',
  'access.document_downloaded': 'Downloaded a licence document',
  'access.audit_viewed': 'Viewed the audit log',
  'access.data_exported': 'Exported personal data',
  'access.data_erased': 'Erased personal data',
};

const PURPOSES: Record<string, string> = {
  care: 'Providing care',
  scheduling: 'Scheduling',
  administration: 'Administration',
  support: 'Support',
  security_review: 'Security review',
  credential_review: 'Credential review',
  owner_access: 'Owner access',
  patient_request: 'At your request',
};

export const actionLabel = (action: string): string => ACTIONS[action] ?? action;
export const purposeLabel = (purpose: string | null): string =>
  purpose ? (PURPOSES[purpose] ?? purpose) : '—';
export const roleLabel = (role: string | null): string =>
  role ? role.charAt(0).toUpperCase() + role.slice(1) : 'System';
