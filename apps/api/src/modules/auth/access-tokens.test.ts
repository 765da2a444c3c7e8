import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
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
    expect(rotated.verify(token, now)).toEqual(claims);
    const dropped = new AccessTokens([key('new', 2)], 'carebook', 'api', 900);
    expect(dropped.verify(token, now)).toBeNull();
  });

  it('signs with the first key of the ring, which the next ring (new key kept) still verifies', async () => {
    const rotated = new AccessTokens([key('new', 2), key('old', 1)], 'carebook', 'api', 900);
    const token = await rotated.sign(claims, now);
    expect(new AccessTokens([key('new', 2)], 'carebook', 'api', 900).verify(token, now)).toEqual(claims);
    expect(new AccessTokens([key('old', 1)], 'carebook', 'api', 900).verify(token, now)).toBeNull();
  });

  it('expires after its lifetime', async () => {
    const tokens = new AccessTokens([key('k', 1)], 'carebook', 'api', 900);
    const token = await tokens.sign(claims, now);
    expect(tokens.verify(token, new Date(now.getTime() + 899_000))).toEqual(claims);
    expect(tokens.verify(token, new Date(now.getTime() + 900_000))).toBeNull();
    expect(tokens.verify(token, new Date(now.getTime() + 901_000))).toBeNull();
  });

  it('refuses an empty key', () => {
    expect(
      () => new AccessTokens([{ kid: 'k', secret: new Uint8Array(0) }], 'carebook', 'api', 900),
    ).toThrow();
  });
});

describe('hostile access tokens', () => {
  const ring = [key('k1', 1), key('k0', 3)];
  const secret = Buffer.from(ring[0]?.secret as Uint8Array);
  const tokens = new AccessTokens(ring, 'carebook', 'api', 900);
  const iat = Math.floor(now.getTime() / 1000);
  const header = { alg: 'HS256', kid: 'k1', typ: 'JWT' };
  const payload = {
    sub: 'u1',
    sid: 's1',
    role: 'patient',
    iss: 'carebook',
    aud: 'api',
    iat,
    exp: iat + 900,
    jti: 'j',
  };

  const seg = (v: unknown) =>
    (typeof v === 'string' || Buffer.isBuffer(v) ? Buffer.from(v) : Buffer.from(JSON.stringify(v))).toString(
      'base64url',
    );
  const hmac = (hash: string, input: string, k: Buffer = secret) =>
    createHmac(hash, k).update(input).digest('base64url');
  /** A token signed with HMAC-SHA256 under the ring's first key, whatever its header says. */
  function craft(h: unknown = header, p: unknown = payload, k: Buffer = secret): string {
    const input = `${seg(h)}.${seg(p)}`;
    return `${input}.${hmac('sha256', input, k)}`;
  }
  const valid = craft();
  const [h0, p0, s0] = valid.split('.') as [string, string, string];
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const lastSwapped = (s: string) => s.slice(0, -1) + ALPHABET[ALPHABET.indexOf(s.at(-1) as string) ^ 1];

  it('accepts the untouched token the cases below are made from, and the shapes jose accepted', () => {
    expect(tokens.verify(valid, now)).toEqual(claims);
    const { typ: _typ, ...untyped } = header;
    expect(tokens.verify(craft(untyped), now)).toEqual(claims);
    expect(tokens.verify(craft(header, { ...payload, aud: ['other', 'api'] }), now)).toEqual(claims);
    expect(tokens.verify(craft(header, { ...payload, nbf: iat }), now)).toEqual(claims);
    expect(tokens.verify(craft({ ...header, kid: 'k0' }, payload, Buffer.alloc(32, 3)), now)).toEqual(claims);
  });

  /** The first token (varying jti) whose parts satisfy `test`. */
  function findToken(test: (parts: string[]) => boolean): string {
    for (let j = 0; ; j++) {
      const token = craft(header, { ...payload, jti: `j${j}` });
      if (test(token.split('.'))) return token;
    }
  }
  const dashed = findToken((p) => /[-_]/.test(p[2] as string));
  const toBase64 = (s: string) => s.replace(/-/g, '+').replace(/_/g, '/');
  const unpadded = findToken((p) => (p[1] as string).length % 4 !== 0);
  const json = Buffer.from(JSON.stringify({ ...payload, x: '' }));
  const notUtf8 = Buffer.concat([json.subarray(0, -2), Buffer.from([0xff, 0x22, 0x7d])]); // ..."x":"\xff"}

  it('builds the cases below from tokens that verify', () => {
    for (const token of [dashed, unpadded]) expect(tokens.verify(token, now)).toEqual(claims);
  });

  const noneHeader = { alg: 'none', kid: 'k1' };
  const cases: [string, string][] = [
    ['alg none, no signature', `${seg(noneHeader)}.${p0}.`],
    ['alg none, with an HMAC signature', craft(noneHeader)],
    ['alg missing', craft({ kid: 'k1', typ: 'JWT' })],
    [
      'alg HS512 signed with HS512',
      `${seg({ ...header, alg: 'HS512' })}.${p0}.${hmac('sha512', `${seg({ ...header, alg: 'HS512' })}.${p0}`)}`,
    ],
    ['alg HS512 header over an HS256 signature', craft({ ...header, alg: 'HS512' })],
    ['alg RS256 header with the HMAC secret', craft({ ...header, alg: 'RS256' })],
    ['alg lower case', craft({ ...header, alg: 'hs256' })],
    ['crit header', craft({ ...header, crit: ['exp'] })],
    ['typ not JWT', craft({ ...header, typ: 'at+jwt' })],
    ['tampered payload (role)', `${h0}.${seg({ ...payload, role: 'admin' })}.${s0}`],
    ['tampered payload (sub)', `${h0}.${seg({ ...payload, sub: 'u2' })}.${s0}`],
    ['tampered header (kid)', `${seg({ ...header, kid: 'k0' })}.${p0}.${s0}`],
    ['tampered signature', `${h0}.${p0}.${s0.slice(0, 10)}${s0[10] === 'A' ? 'B' : 'A'}${s0.slice(11)}`],
    ['signature with stray bits in its last character', `${h0}.${p0}.${lastSwapped(s0)}`],
    ['signature padded with =', `${valid}=`],
    [
      'signature in base64 (+ and /)',
      `${dashed.split('.').slice(0, 2).join('.')}.${toBase64(dashed.split('.')[2] as string)}`,
    ],
    ['signature truncated', valid.slice(0, -1)],
    ['signature empty', `${h0}.${p0}.`],
    ['signature of another key', craft(header, payload, Buffer.alloc(32, 9))],
    ['wrong kid', craft({ ...header, kid: 'k9' })],
    ['missing kid', craft({ alg: 'HS256', typ: 'JWT' })],
    ['kid not a string', craft({ ...header, kid: 1 })],
    ['kid naming an object property', craft({ ...header, kid: '__proto__' })],
    ['expired (exp reached)', craft(header, { ...payload, exp: iat })],
    ['expired long ago', craft(header, { ...payload, iat: iat - 2000, exp: iat - 1100 })],
    ['not yet valid (nbf)', craft(header, { ...payload, nbf: iat + 1 })],
    ['nbf not a number', craft(header, { ...payload, nbf: String(iat) })],
    ['exp missing', craft(header, { ...payload, exp: undefined })],
    ['exp a string', craft(header, { ...payload, exp: String(iat + 900) })],
    [
      'exp infinite (1e999)',
      (() => {
        const input = `${h0}.${seg(JSON.stringify({ ...payload, exp: 0 }).replace('"exp":0', '"exp":1e999'))}`;
        return `${input}.${hmac('sha256', input)}`;
      })(),
    ],
    ['iat missing', craft(header, { ...payload, iat: undefined })],
    ['iat a string', craft(header, { ...payload, iat: String(iat) })],
    ['wrong issuer', craft(header, { ...payload, iss: 'evil' })],
    ['issuer missing', craft(header, { ...payload, iss: undefined })],
    ['wrong audience', craft(header, { ...payload, aud: 'someone-else' })],
    ['audience list without ours', craft(header, { ...payload, aud: ['x', 'y'] })],
    ['audience list with a non-string', craft(header, { ...payload, aud: ['api', 1] })],
    ['sub not a string', craft(header, { ...payload, sub: 42 })],
    ['sub missing', craft(header, { ...payload, sub: undefined })],
    ['sid missing', craft(header, { ...payload, sid: undefined })],
    ['role not a string', craft(header, { ...payload, role: ['admin'] })],
    ['extra dot at the end', `${valid}.`],
    ['four segments', `${h0}.${p0}.${s0}.${s0}`],
    ['two segments', `${h0}.${p0}`],
    ['one segment', h0],
    ['empty string', ''],
    ['only dots', '..'],
    ['non-base64url character in the header', `${h0.slice(0, 4)}*${h0.slice(5)}.${p0}.${s0}`],
    [
      'padding in the payload, signed over',
      (() => {
        const p = unpadded.split('.')[1] as string;
        const input = `${h0}.${p}${'='.repeat(4 - (p.length % 4))}`;
        return `${input}.${hmac('sha256', input)}`;
      })(),
    ],
    [
      'whitespace in the payload, signed over',
      (() => {
        const input = `${h0}.${p0.slice(0, 8)} ${p0.slice(8)}`;
        return `${input}.${hmac('sha256', input)}`;
      })(),
    ],
    ['header not JSON, signed over', craft('{"alg":"HS256","kid":"k1"')],
    ['header an array', craft([header])],
    ['header null', craft(null)],
    ['payload an array', craft(header, [payload])],
    ['payload not UTF-8 (in an extra claim), signed over', craft(header, notUtf8)],
    ['huge token, validly signed', craft(header, { ...payload, pad: 'x'.repeat(10_000) })],
  ];

  it.each(cases)('returns null for %s (never throws)', (_name, token) => {
    expect(tokens.verify(token, now)).toBeNull();
  });

  it('returns null for a value that is not a string at all', () => {
    for (const v of [undefined, null, 42, {}, Buffer.from(valid)]) {
      expect(tokens.verify(v as unknown as string, now)).toBeNull();
    }
  });

  it('returns null for every one-character change of a valid token', () => {
    const replacements = `${ALPHABET}=+/ .`;
    let tried = 0;
    for (let i = 0; i < valid.length; i++) {
      for (const c of replacements) {
        if (c === valid[i]) continue;
        const changed = valid.slice(0, i) + c + valid.slice(i + 1);
        expect(tokens.verify(changed, now), changed).toBeNull();
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(valid.length * 60);
  });

  it('refuses what jose itself would sign with a foreign algorithm', async () => {
    const hs512 = await new SignJWT({ sid: 's1', role: 'patient' })
      .setProtectedHeader({ alg: 'HS512', kid: 'k1' })
      .setSubject('u1')
      .setIssuer('carebook')
      .setAudience('api')
      .setIssuedAt(iat)
      .setExpirationTime(iat + 900)
      .sign(new Uint8Array(Buffer.alloc(64, 1)));
    expect(tokens.verify(hs512, now)).toBeNull();
  });
});
