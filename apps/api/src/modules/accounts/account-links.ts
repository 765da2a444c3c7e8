import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../../db/schema';
import { DomainError } from '../../domain/errors';
import { newId } from '../../lib/ids';
import { toDbTime } from '../../ports/clock';
import { hashRefreshToken, newRefreshToken } from '../auth/refresh-tokens';
import type { AccountTokenPurpose, AccountTokensRepository } from './account-tokens.repository';

/** Where the web app opens a link; the token rides in the fragment, so it never reaches a server log. */
export const accountLink = (
  webUrl: string,
  path: 'verify-email' | 'reset-password' | 'accept-invitation',
  token: string,
) => `${webUrl.replace(/\/$/, '')}/${path}#token=${token}`;

export const invalidLink = () =>
  new DomainError(
    'ACCOUNT_LINK_INVALID',
    'This link is not valid any more: it has expired or was already used. Ask for a new one.',
  );

/**
 * Issues a single-use link token (256 random bits, the same shape as a refresh token); only its
 * SHA-256 is stored. Returns the token to put in the e-mail and the row id (the mail's key).
 */
export async function issueAccountToken(
  tokens: AccountTokensRepository,
  userId: string,
  purpose: AccountTokenPurpose,
  now: Date,
  ttlMs: number,
  trx: Kysely<InventoryDatabase>,
): Promise<{ id: string; token: string }> {
  const token = newRefreshToken();
  const id = newId();
  await tokens.insert(
    {
      id,
      user_id: userId,
      purpose,
      token_hash: hashRefreshToken(token),
      created_at: toDbTime(now),
      expires_at: toDbTime(new Date(now.getTime() + ttlMs)),
      used_at: null,
    },
    trx,
  );
  return { id, token };
}

export const hashAccountToken = hashRefreshToken;
