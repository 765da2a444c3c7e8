import type { Role } from '@carebook/contracts';
import { DomainError, forbidden } from '../../domain/errors';
import type { Principal } from '../../lib/request-meta';

/**
 * The one permission table: which roles may attempt an action at all. Ownership (is this
 * *your* booking / listing?) is checked in the services on top of this.
 */
export const permissions = {
  'account.read': ['patient', 'provider', 'staff', 'admin'],
  'account.change_password': ['patient', 'provider', 'staff', 'admin'],
  'session.manage_own': ['patient', 'provider', 'staff', 'admin'],
  'profile.manage_own': ['patient'],
  'staff.manage': ['provider'],
  'admin.users.read': ['admin'],
  'admin.users.change_role': ['admin'],
  'admin.users.suspend': ['admin'],
  'admin.users.verify': ['admin'],
  'account.erase': ['patient', 'provider', 'staff', 'admin'],
  'admin.users.erase': ['admin'],
  'audit.read': ['admin'],
  'operations.read': ['admin'],
  'listing.create': ['provider', 'staff'],
  'listing.manage': ['provider', 'staff', 'admin'],
  'listing.moderate': ['admin'],
  'booking.create': ['patient'],
  'practice.schedule.read': ['provider', 'staff', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function can(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}

export function assertCan(role: Role, permission: Permission): void {
  if (!can(role, permission)) throw forbidden();
}

/** Booking and publishing need an address the account holder has proved (docs/accounts.md). */
export function assertEmailVerified(principal: Principal): void {
  if (!principal.emailVerified)
    throw new DomainError(
      'EMAIL_NOT_VERIFIED',
      'Confirm your e-mail address first: open the link we sent you, or ask for a new one from your account.',
    );
}
