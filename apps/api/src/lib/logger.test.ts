import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { redactPaths } from './logger';

describe('log redaction', () => {
  it('never writes credentials, tokens or sensitive fields', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = pino({ redact: { paths: redactPaths, censor: '[redacted]' } }, sink);
    log.info(
      {
        req: { headers: { authorization: 'Bearer eyJsecret', cookie: 'sid=abc' } },
        body: { email: 'a@b.c', password: 'hunter2-password', refreshToken: 'r3fresh' },
        password: 'top-level-pw',
        tokens: { accessToken: 'acc355', nested: { token: 'deep-tok' } },
      },
      'login attempt',
    );
    const out = lines.join('');
    for (const secret of [
      'eyJsecret',
      'sid=abc',
      'hunter2-password',
      'r3fresh',
      'top-level-pw',
      'acc355',
      'deep-tok',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('a@b.c');
    expect(out).toContain('[redacted]');
  });
});
