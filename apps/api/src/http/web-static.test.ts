import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerNotFound } from './error-handler';
import { IMMUTABLE, REVALIDATE, registerWebApp } from './web-static';

describe('web app static files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'carebook-web-'));
  const app = Fastify();

  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Carebook</title><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-AbC123xy.js'), 'console.log(1)');
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    registerNotFound(app, await registerWebApp(app, dir));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves hashed assets as immutable for a year', async () => {
    const res = await app.inject({ url: '/assets/index-AbC123xy.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
  });

  it('revalidates index.html on every load, also as the client-side route fallback', async () => {
    for (const url of ['/index.html', '/', '/providers/123', '/bookings/abc?new=1']) {
      const res = await app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe(REVALIDATE);
      expect(res.body, url).toContain('<div id="root">');
    }
  });

  it('does not mark un-hashed public files immutable', async () => {
    const res = await app.inject({ url: '/favicon.svg' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe(REVALIDATE);
  });

  it('answers a problem, not index.html, for API paths and non-HTML requests', async () => {
    const api = await app.inject({ url: '/api/v1/nope', headers: { accept: 'text/html' } });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toContain('application/problem+json');
    const missingAsset = await app.inject({ url: '/assets/gone-123.js' });
    expect(missingAsset.statusCode).toBe(404);
  });

  it('registers nothing when the web app has not been built', async () => {
    const empty = Fastify();
    expect(await registerWebApp(empty, join(dir, 'missing'))).toBe(false);
    await empty.close();
  });
});
