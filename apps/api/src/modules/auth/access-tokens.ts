import { isUtf8 } from 'node:buffer';
import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import type { Role } from '@carebook/contracts';
import { SignJWT } from 'jose';
import { newId } from '../../lib/ids';
import type { JwtKey } from './jwt-keys';

const ALGORITHM = 'HS256';
/** Ours are ~350 characters; anything this long is refused before any decoding. */
const MAX_TOKEN_LENGTH = 4096;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const HMAC_BYTES = 32;

export interface AccessClaims {
  userId: string;
  sessionId: string;
  role: Role;
}

type JsonObject = Record<string, unknown>;

/**
 * Short-lived JWT access tokens. The header names the key (`kid`) so keys can rotate: the first
 * key signs, every key in the ring verifies. Only HS256 is accepted (never `none`), and the
 * issuer and audience are checked.
 *
 * Signing uses `jose`. Verification is synchronous on node:crypto (HMAC-SHA256 and a constant-time
 * compare): every authenticated request pays it, and jose's WebCrypto check cost a thread-pool job
 * and a promise each (docs/benchmarks.md). It is strict: three base64url segments in canonical
 * form (no padding, no other characters, no stray bits), a JSON object header with exactly
 * `alg: HS256`, a `kid` from the ring, no `crit`, `typ` absent or `JWT`; then the claims.
 */
export class AccessTokens {
  private readonly byKid: Map<string, KeyObject>;

  constructor(
    private readonly keys: JwtKey[],
    private readonly issuer: string,
    private readonly audience: string,
    readonly ttlSeconds: number,
  ) {
    if (keys.length === 0) throw new Error('At least one JWT key is required');
    if (keys.some((k) => k.secret.length === 0)) throw new Error('A JWT key must not be empty');
    this.byKid = new Map(keys.map((k) => [k.kid, createSecretKey(k.secret)]));
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
  verify(token: string, now: Date): AccessClaims | null {
    try {
      return this.check(token, now);
    } catch {
      return null;
    }
  }

  private check(token: string, now: Date): AccessClaims | null {
    if (token.length > MAX_TOKEN_LENGTH) return null;
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];

    const header = jsonObject(base64url(headerPart));
    if (!header || header.alg !== ALGORITHM || header.crit !== undefined) return null;
    if (header.typ !== undefined && header.typ !== 'JWT') return null;
    const key = typeof header.kid === 'string' ? this.byKid.get(header.kid) : undefined;
    if (!key) return null;

    const payload = base64url(payloadPart);
    const signature = base64url(signaturePart);
    if (!payload || signature?.length !== HMAC_BYTES) return null;
    const signingInput = token.slice(0, headerPart.length + 1 + payloadPart.length);
    if (!timingSafeEqual(createHmac('sha256', key).update(signingInput).digest(), signature)) return null;

    const p = jsonObject(payload);
    if (!p) return null;
    if (p.iss !== this.issuer || !audienceMatches(p.aud, this.audience)) return null;
    const seconds = Math.floor(now.getTime() / 1000);
    // As jose did: expired once `exp` is reached, not valid before `nbf`, `iat` a number.
    if (!isNumber(p.exp) || p.exp <= seconds) return null;
    if (p.nbf !== undefined && (!isNumber(p.nbf) || p.nbf > seconds)) return null;
    if (!isNumber(p.iat)) return null;
    if (typeof p.sub !== 'string' || typeof p.sid !== 'string' || typeof p.role !== 'string') return null;
    return { userId: p.sub, sessionId: p.sid, role: p.role as Role };
  }
}

/**
 * Strict base64url (RFC 7515 §2, RFC 4648 §3.5): the URL-safe alphabet only, no padding, and a
 * canonical last character (its bits past the last whole byte are zero), so one byte string has
 * exactly one encoding.
 */
function base64url(segment: string): Buffer | null {
  const rest = segment.length % 4;
  if (rest === 1 || !BASE64URL.test(segment)) return null;
  if (rest !== 0 && (sextet(segment.charCodeAt(segment.length - 1)) & (rest === 2 ? 0b1111 : 0b11)) !== 0) {
    return null;
  }
  return Buffer.from(segment, 'base64url');
}

/** The 6-bit value of a base64url character (already checked against the alphabet). */
function sextet(c: number): number {
  if (c >= 97) return c - 71; // a-z: 26..51
  if (c >= 65) return c === 95 ? 63 : c - 65; // A-Z: 0..25, '_': 63
  return c === 45 ? 62 : c + 4; // 0-9: 52..61, '-': 62
}

function jsonObject(bytes: Buffer | null): JsonObject | null {
  if (!bytes || !isUtf8(bytes)) return null;
  const value: unknown = JSON.parse(bytes.toString('utf8'));
  // An array, string or number carries none of the members checked next, so it fails there.
  return typeof value === 'object' && value !== null ? (value as JsonObject) : null;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** RFC 7519 §4.1.3: one audience string, or an array of them that names ours. */
function audienceMatches(aud: unknown, audience: string): boolean {
  if (aud === audience) return true;
  return Array.isArray(aud) && aud.every((a) => typeof a === 'string') && aud.includes(audience);
}
