import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { OneLineRequestLog } from './request-log';
import { registerSecurityHeaders } from './security-headers';

const options = {
  contentSecurityPolicy: {
    directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'", 'https://js.example'] },
  },
  crossOriginEmbedderPolicy: false,
};

describe('security headers computed once', () => {
  it('sends exactly what @fastify/helmet sends, on answers, errors and unknown routes, with x-request-id', async () => {
    const reference = Fastify();
    await reference.register(helmet, options);
    reference.get('/ok', async () => ({ ok: true }));
    const ours = Fastify({ genReqId: () => 'req-1' });
    await registerSecurityHeaders(ours, options);
    ours.get('/ok', async () => ({ ok: true }));
    ours.get('/boom', async () => {
      throw new Error('boom');
    });
    const expected = (await reference.inject({ url: '/ok' })).headers;
    for (const url of ['/ok', '/boom', '/missing']) {
      const res = await ours.inject({ url });
      for (const name of [
        'content-security-policy',
        'strict-transport-security',
        'x-content-type-options',
        'x-frame-options',
        'referrer-policy',
        'cross-origin-opener-policy',
      ]) {
        expect(res.headers[name], `${url} ${name}`).toBe(expected[name]);
      }
      expect(res.headers['content-security-policy']).toContain('https://js.example');
      expect(res.headers['x-request-id'], url).toBe('req-1');
    }
    await Promise.all([reference.close(), ours.close()]);
  });
});

describe('one log line per request', () => {
  it('logs method, url, status and time once for a request, and the error line for a failure', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = { write: (s: string) => lines.push(JSON.parse(s)) };
    const app = Fastify({ logger: { level: 'info', stream }, logController: new OneLineRequestLog() });
    app.get('/ok', async () => ({ ok: true }));
    await app.inject({ url: '/ok?x=1' });
    const perRequest = lines.filter((l) => l.reqId !== undefined);
    expect(perRequest).toHaveLength(1);
    expect(perRequest[0]).toMatchObject({
      msg: 'request completed',
      method: 'GET',
      url: '/ok?x=1',
      statusCode: 200,
    });
    expect(typeof perRequest[0]?.responseTime).toBe('number');
    await app.close();
  });
});
