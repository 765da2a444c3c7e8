import type { Principal } from '../../lib/request-meta';
import type { ProviderRow } from './listing-mapper';

/** Who may manage a listing: its owner, staff acting for the owner, and admins. */
export function canManage(principal: Principal | null, row: Pick<ProviderRow, 'owner_id'>): boolean {
  if (!principal) return false;
  if (principal.role === 'admin') return true;
  return (
    (principal.role === 'provider' || principal.role === 'staff') &&
    principal.actsForProviderId === row.owner_id
  );
}

/** Who may see a listing at all: anyone when published, otherwise only those who manage it. */
export const canSee = (principal: Principal | null, row: Pick<ProviderRow, 'owner_id' | 'status'>): boolean =>
  row.status === 'published' || canManage(principal, row);
