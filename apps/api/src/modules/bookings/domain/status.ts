export const BOOKING_STATUSES = [
  'pending',
  'payment_pending',
  'confirmed',
  'in_progress',
  'completed',
  'cancelled',
  'expired',
  'no_show',
] as const;

export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** Statuses that hold or claim their time: an active booking blocks its interval for others. */
export const ACTIVE_STATUSES: readonly BookingStatus[] = [
  'pending',
  'payment_pending',
  'confirmed',
  'in_progress',
];

/** Statuses nothing leaves. Every status is exactly one of active or final. */
export const FINAL_STATUSES: readonly BookingStatus[] = ['completed', 'cancelled', 'expired', 'no_show'];

export function isActive(status: BookingStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

export function isFinal(status: BookingStatus): boolean {
  return FINAL_STATUSES.includes(status);
}
