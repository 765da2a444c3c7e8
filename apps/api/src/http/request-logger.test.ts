import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../lib/logger';
import { OneLineRequestLog } from './request-log';
import { lazyRequestLogger } from './request-logger';

function appWithLog() {
  const lines: Record<string, unknown>[] = [];
  const stream = { write: (s: string) => lines.push(JSON.parse(s)) };
  const app = Fastify({
    logger: { ...(loggerOptions('info') as object), stream },
    logController: new OneLineRequestLog(),
    childLoggerFactory: lazyRequestLogger,
    genReqId: () => 'req-7',
  });
  return { app, lines };
}

describe('lazy per-request logger', () => {
  it('writes the completion line with the request id without a handler log', async () => {
    const { app, lines } = appWithLog();
    app.get('/ok', async () => ({ ok: true }));
    await app.inject({ url: '/ok' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ reqId: 'req-7', msg: 'request completed', url: '/ok', statusCode: 200 });
    await app.close();
  });

  it('binds the request id to what a handler logs, with redaction, and to error lines', async () => {
    const { app, lines } = appWithLog();
    app.get('/talk', async (request) => {
      request.log.info({ user: { token: 'secret-tok' } }, 'handler says');
      return { ok: true };
    });
    app.get('/boom', async () => {
      throw new Error('kaput');
    });
    await app.inject({ url: '/talk' });
    await app.inject({ url: '/boom' });
    expect(JSON.stringify(lines)).not.toContain('secret-tok');
    expect(lines.find((l) => l.msg === 'handler says')).toMatchObject({
      reqId: 'req-7',
      user: { token: '[redacted]' },
    });
    const completed = lines.filter((l) => l.msg === 'request completed');
    expect(completed).toHaveLength(2);
    for (const line of completed) expect(line.reqId).toBe('req-7');
    expect(lines.find((l) => l.level === 50)).toMatchObject({ reqId: 'req-7', err: { message: 'kaput' } });
    await app.close();
  });

  it('honours a route log level (the child is made with it)', async () => {
    const { app, lines } = appWithLog();
    app.get('/quiet', { logLevel: 'warn' }, async () => ({ ok: true }));
    await app.inject({ url: '/quiet' });
    expect(lines).toHaveLength(0);
    await app.close();
  });
});
