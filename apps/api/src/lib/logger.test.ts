import { Writable } from 'node:stream';
import pino, { type LoggerOptions } from 'pino';
import { describe, expect, it } from 'vitest';
import { censorSecrets, loggerOptions } from './logger';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const log = pino(loggerOptions('info') as LoggerOptions, sink);
  return { log, out: () => lines.join('') };
}

describe('log redaction', () => {
  it('never writes credentials, tokens or sensitive fields', () => {
    const { log, out } = capture();
    log.info(
      {
        headers: { authorization: 'Bearer eyJsecret', cookie: 'sid=abc', 'x-api-key': 'k3y' },
        body: { email: 'a@b.c', password: 'hunter2-password', refreshToken: 'r3fresh' },
        password: 'top-level-pw',
        tokens: { accessToken: 'acc355', nested: { token: 'deep-tok' } },
        list: [{ secret: 'in-array' }],
        reply: { headers: { 'set-cookie': 'refresh=c00kie' } },
      },
      'login attempt',
    );
    for (const secret of [
      'eyJsecret',
      'sid=abc',
      'k3y',
      'hunter2-password',
      'r3fresh',
      'top-level-pw',
      'acc355',
      'deep-tok',
      'in-array',
      'c00kie',
    ]) {
      expect(out()).not.toContain(secret);
    }
    expect(out()).toContain('a@b.c');
    const line = JSON.parse(out());
    expect(line.body).toEqual({ email: 'a@b.c', password: '[redacted]', refreshToken: '[redacted]' });
    expect(line.tokens.nested.token).toBe('[redacted]');
  });

  it('censors what the req and err serializers write', () => {
    const { log, out } = capture();
    const err = Object.assign(new Error('refresh failed'), { token: 'err-tok' });
    log.error(
      {
        req: { method: 'POST', url: '/x', headers: { authorization: 'Bearer eyJreq', 'user-agent': 'ua' } },
        err,
      },
      'failed',
    );
    const line = JSON.parse(out());
    expect(out()).not.toContain('eyJreq');
    expect(out()).not.toContain('err-tok');
    expect(line.req.headers).toEqual({ authorization: '[redacted]', 'user-agent': 'ua' });
    expect(line.err.message).toBe('refresh failed');
    expect(line.err.token).toBe('[redacted]');
  });

  it('leaves the logged objects untouched and returns clean ones as they are', () => {
    const logged = { user: { password: 'pw', name: 'n' }, ok: { a: [1, 2] } };
    const censored = censorSecrets(logged);
    expect(logged.user.password).toBe('pw');
    expect(censored.user).toEqual({ password: '[redacted]', name: 'n' });
    expect(censored.ok).toBe(logged.ok);
    const clean = { method: 'GET', url: '/healthz', statusCode: 200 };
    expect(censorSecrets(clean)).toBe(clean);
  });
});
