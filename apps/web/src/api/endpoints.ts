import type {
  AcceptStaffInvitationBody,
  AccessLogEntry,
  AdminUserQuery,
  AuditChainReport,
  AuditEvent,
  AuditQuery,
  AuthResult,
  AvailabilityResponse,
  Booking,
  BookingListQuery,
  CreateBookingBody,
  EmailVerified,
  ErasureReport,
  Listing,
  ListingInput,
  ListingSummary,
  PasswordResetAccepted,
  PatientProfile,
  PatientProfileUpdate,
  PaymentsConfig,
  RegisterAccepted,
  RegisterBody,
  Role,
  Schedule,
  SearchRequest,
  SearchResponse,
  Service,
  ServiceInput,
  Session,
  StaffInvitation,
  StaffInvitationPreview,
  StaffOverview,
  SuggestResponse,
  User,
  WaitlistAccepted,
  WaitlistEntry,
  WaitlistJoin,
  WaitlistList,
} from '@carebook/contracts';
import { apiBlob, apiRequest, type Query } from './client';

export interface PageOf<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/** In-app notification (the API keeps this schema in its notifications module). */
export interface AppNotification {
  id: string;
  bookingId: string;
  kind: string;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

export interface CheckoutIntent {
  id: string;
  bookingId: string;
  amountCents: number;
  currency: string;
  status: 'requires_payment_method' | 'succeeded' | 'canceled';
  lastDeclineCode: string | null;
}

const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });
const q = (o: object) => o as Query;

export const api = {
  login: (email: string, password: string) =>
    apiRequest<AuthResult>('/api/v1/auth/login', { body: { email, password }, auth: false }),
  register: (body: RegisterBody) =>
    apiRequest<RegisterAccepted>('/api/v1/auth/register', { body, auth: false }),
  verifyEmail: (token: string) =>
    apiRequest<EmailVerified>('/api/v1/auth/verify-email', { body: { token }, auth: false }),
  resendVerification: () => apiRequest<void>('/api/v1/auth/verify-email/resend', { body: {} }),
  requestPasswordReset: (email: string) =>
    apiRequest<PasswordResetAccepted>('/api/v1/auth/password-reset', { body: { email }, auth: false }),
  confirmPasswordReset: (token: string, newPassword: string) =>
    apiRequest<{ sessionsRevoked: number }>('/api/v1/auth/password-reset/confirm', {
      body: { token, newPassword },
      auth: false,
    }),
  logout: () => apiRequest<void>('/api/v1/auth/logout', { method: 'POST' }),
  me: () => apiRequest<User>('/api/v1/me'),
  profile: () => apiRequest<PatientProfile>('/api/v1/me/profile'),
  staff: () => apiRequest<StaffOverview>('/api/v1/provider/staff'),
  inviteStaff: (email: string) =>
    apiRequest<StaffInvitation>('/api/v1/provider/staff/invitations', { body: { email } }),
  revokeStaffInvitation: (id: string) =>
    apiRequest<void>(`/api/v1/provider/staff/invitations/${id}`, { method: 'DELETE' }),
  removeStaff: (id: string) => apiRequest<void>(`/api/v1/provider/staff/${id}`, { method: 'DELETE' }),
  previewStaffInvitation: (token: string) =>
    apiRequest<StaffInvitationPreview>('/api/v1/auth/staff-invitations/preview', {
      body: { token },
      auth: false,
    }),
  acceptStaffInvitation: (body: AcceptStaffInvitationBody) =>
    apiRequest<{ email: string }>('/api/v1/auth/staff-invitations/accept', { body, auth: false }),
  updateProfile: (body: PatientProfileUpdate) =>
    apiRequest<PatientProfile>('/api/v1/me/profile', { method: 'PATCH', body }),
  sessions: () => apiRequest<{ items: Session[] }>('/api/v1/sessions'),
  revokeSession: (id: string) => apiRequest<void>(`/api/v1/sessions/${id}`, { method: 'DELETE' }),
  changePassword: (currentPassword: string, newPassword: string) =>
    apiRequest<{ otherSessionsRevoked: number }>('/api/v1/me/password', {
      body: { currentPassword, newPassword },
    }),

  search: (req: SearchRequest, signal?: AbortSignal) =>
    apiRequest<SearchResponse>('/api/v1/search', { query: q(req), ...(signal ? { signal } : {}) }),
  suggest: (text: string, signal?: AbortSignal) =>
    apiRequest<SuggestResponse>('/api/v1/search/suggest', {
      query: { q: text, limit: 6 },
      ...(signal ? { signal } : {}),
    }),

  listing: (id: string) => apiRequest<Listing>(`/api/v1/providers/${id}`),
  myListings: () =>
    apiRequest<PageOf<ListingSummary>>('/api/v1/providers', { query: { scope: 'mine', pageSize: 100 } }),
  allListings: (page: number, status?: string) =>
    apiRequest<PageOf<ListingSummary>>('/api/v1/providers', {
      query: { scope: 'mine', page, pageSize: 20, status },
    }),
  createListing: (body: ListingInput) => apiRequest<Listing>('/api/v1/providers', { body }),
  updateListing: (id: string, version: number, body: ListingInput) =>
    apiRequest<Listing>(`/api/v1/providers/${id}`, { method: 'PUT', body, headers: ifMatch(version) }),
  publish: (id: string, version: number, action: 'publish' | 'unpublish') =>
    apiRequest<Listing>(`/api/v1/providers/${id}/${action}`, { method: 'POST', headers: ifMatch(version) }),
  moderateListing: (id: string, action: 'suspend' | 'unsuspend', reason: string) =>
    apiRequest<Listing>(`/api/v1/providers/${id}/${action}`, { body: { reason } }),
  saveSchedule: (id: string, version: number, body: Schedule) =>
    apiRequest<Listing>(`/api/v1/providers/${id}/schedule`, {
      method: 'PUT',
      body,
      headers: ifMatch(version),
    }),
  addService: (id: string, version: number, body: ServiceInput) =>
    apiRequest<{ service: Service; version: number }>(`/api/v1/providers/${id}/services`, {
      body,
      headers: ifMatch(version),
    }),
  updateService: (id: string, serviceId: string, version: number, body: ServiceInput) =>
    apiRequest<{ service: Service; version: number }>(`/api/v1/providers/${id}/services/${serviceId}`, {
      method: 'PUT',
      body,
      headers: ifMatch(version),
    }),
  deletePhoto: (id: string, photoId: string, version: number) =>
    apiRequest<unknown>(`/api/v1/providers/${id}/photos/${photoId}`, {
      method: 'DELETE',
      headers: ifMatch(version),
    }),
  availability: (id: string, serviceId: string, from: string, to: string, tz: string) =>
    apiRequest<AvailabilityResponse>(`/api/v1/providers/${id}/availability`, {
      query: { serviceId, from, to, tz },
    }),

  bookings: (query: BookingListQuery) => apiRequest<PageOf<Booking>>('/api/v1/bookings', { query: q(query) }),
  booking: (id: string) => apiRequest<Booking>(`/api/v1/bookings/${id}`),
  paymentsConfig: () => apiRequest<PaymentsConfig>('/api/v1/payments/config', { auth: false }),
  createBooking: (body: CreateBookingBody, idempotencyKey: string) =>
    apiRequest<Booking>('/api/v1/bookings', { body, headers: { 'idempotency-key': idempotencyKey } }),
  bookingAction: (id: string, action: 'cancel' | 'complete' | 'no-show', reason?: string) =>
    apiRequest<Booking>(`/api/v1/bookings/${id}/${action}`, { body: reason ? { reason } : {} }),
  reschedule: (id: string, start: string) =>
    apiRequest<Booking>(`/api/v1/bookings/${id}/reschedule`, { body: { start } }),
  waitlist: () => apiRequest<WaitlistList>('/api/v1/waitlist'),
  joinWaitlist: (body: WaitlistJoin) => apiRequest<WaitlistEntry>('/api/v1/waitlist', { body }),
  leaveWaitlist: (id: string) => apiRequest<void>(`/api/v1/waitlist/${id}`, { method: 'DELETE' }),
  waitlistOffer: (id: string, action: 'accept' | 'decline') =>
    action === 'accept'
      ? apiRequest<WaitlistAccepted>(`/api/v1/waitlist/offers/${id}/accept`, { body: {} })
      : apiRequest<void>(`/api/v1/waitlist/offers/${id}/decline`, { body: {} }),

  checkoutIntent: (id: string, clientSecret: string) =>
    apiRequest<CheckoutIntent>(`/api/v1/payments/simulated/intents/${id}`, {
      query: { clientSecret },
      auth: false,
    }),
  pay: (id: string, clientSecret: string, cardNumber: string) =>
    apiRequest<CheckoutIntent>(`/api/v1/payments/simulated/intents/${id}/pay`, {
      body: { clientSecret, cardNumber },
      auth: false,
    }),

  notifications: (page = 1) =>
    apiRequest<PageOf<AppNotification> & { unread: number }>('/api/v1/notifications', {
      query: { page, pageSize: 20 },
    }),
  markRead: (id: string) => apiRequest<unknown>(`/api/v1/notifications/${id}/read`, { method: 'POST' }),

  adminUsers: (query: AdminUserQuery) => apiRequest<PageOf<User>>('/api/v1/admin/users', { query: q(query) }),
  changeRole: (id: string, role: Role) =>
    apiRequest<User>(`/api/v1/admin/users/${id}/role`, { body: { role } }),
  suspendUser: (id: string, suspend: boolean, reason: string) =>
    apiRequest<User>(`/api/v1/admin/users/${id}/${suspend ? 'suspend' : 'unsuspend'}`, { body: { reason } }),
  verifyUser: (id: string) => apiRequest<User>(`/api/v1/admin/users/${id}/verify`, { method: 'POST' }),
  audit: (query: AuditQuery) =>
    apiRequest<PageOf<AuditEvent>>('/api/v1/admin/audit-events', { query: q(query) }),
  auditVerify: () => apiRequest<AuditChainReport>('/api/v1/admin/audit/verify'),
  accessLog: (page: number, pageSize = 10) =>
    apiRequest<PageOf<AccessLogEntry>>('/api/v1/me/access-log', { query: q({ page, pageSize }) }),
  exportData: () => apiBlob('/api/v1/me/export'),
  exportCalendar: () => apiBlob('/api/v1/me/export/bookings.ics'),
  deleteAccount: (password: string) =>
    apiRequest<ErasureReport>('/api/v1/me', { method: 'DELETE', body: { password } }),
};
