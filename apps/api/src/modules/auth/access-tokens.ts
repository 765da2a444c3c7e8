import type { Role } from '@carebook/contracts';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { newId } from '../../lib/ids';
import type { JwtKey } from './jwt-keys';

const ALGORITHM = 'HS256';

export interface AccessClaims {
  userId: string;
  sessionId: string;
  role: Role;
}

/**
 * Short-lived JWT access tokens. The header names the key (`kid`) so keys can rotate: the first
 * key signs, every key in the ring verifies. Only HS256 is accepted (never `none`), and the
 * issuer and audience are checked.
 */
export class AccessTokens {
  private readonly byKid: Map<string, Uint8Array>;

  constructor(
    private readonly keys: JwtKey[],
    private readonly issuer: string,
    private readonly audience: string,
    readonly ttlSeconds: number,
  ) {
    if (keys.length === 0) throw new Error('At least one JWT key is required');
    this.byKid = new Map(keys.map((k) => [k.kid, k.secret]));
  }

  async sign(claims: AccessClaims, now: Date): Promise<string> {
    const signer = this.keys[0] as JwtKey;
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({ sid: claims.sessionId, role: claims.role })
      .setProtectedHeader({ alg: ALGORITHM, kid: signer.kid, typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSeconds)
      .setJti(newId())
      .sign(signer.secret);
  }

  /** Returns the claims, or null for any token that is not valid now (never throws). */
  async verify(token: string, now: Date): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(
        token,
        (header) => {
          const secret = header.kid ? this.byKid.get(header.kid) : undefined;
          if (!secret) throw new joseErrors.JWKSNoMatchingKey();
          return secret;
        },
        {
          algorithms: [ALGORITHM],
          issuer: this.issuer,
          audience: this.audience,
          currentDate: now,
          requiredClaims: ['sub', 'exp', 'iat'],
        },
      );
      const sid = payload.sid;
      const role = payload.role;
      if (typeof payload.sub !== 'string' || typeof sid !== 'string' || typeof role !== 'string') return null;
      return { userId: payload.sub, sessionId: sid, role: role as Role };
    } catch {
      return null;
    }
  }
}
