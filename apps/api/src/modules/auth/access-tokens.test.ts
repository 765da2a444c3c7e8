import { describe, expect, it } from 'vitest';
import { AccessTokens } from './access-tokens';

const key = (kid: string, fill: number) => ({ kid, secret: new Uint8Array(Buffer.alloc(32, fill)) });
const claims = { userId: 'u1', sessionId: 's1', role: 'patient' as const };
const now = new Date('2026-11-24T12:00:00Z');

describe('access token key rotation', () => {
  it('puts the signing key id in the header', async () => {
    const tokens = new AccessTokens([key('new', 1)], 'carebook', 'api', 900);
    const header = JSON.parse(
      Buffer.from((await tokens.sign(claims, now)).split('.')[0] as string, 'base64url').toString(),
    );
    expect(header).toEqual({ alg: 'HS256', kid: 'new', typ: 'JWT' });
  });

  it('still verifies tokens signed by a retired key kept in the ring, and not after it is dropped', async () => {
    const old = new AccessTokens([key('old', 1)], 'carebook', 'api', 900);
    const token = await old.sign(claims, now);
    const rotated = new AccessTokens([key('new', 2), key('old', 1)], 'carebook', 'api', 900);
    expect(await rotated.verify(token, now)).toEqual(claims);
    const dropped = new AccessTokens([key('new', 2)], 'carebook', 'api', 900);
    expect(await dropped.verify(token, now)).toBeNull();
  });

  it('expires after its lifetime', async () => {
    const tokens = new AccessTokens([key('k', 1)], 'carebook', 'api', 900);
    const token = await tokens.sign(claims, now);
    expect(await tokens.verify(token, new Date(now.getTime() + 899_000))).toEqual(claims);
    expect(await tokens.verify(token, new Date(now.getTime() + 901_000))).toBeNull();
  });
});
