import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPRESS_THRESHOLD_BYTES } from './compression';
import { registerNotFound } from './error-handler';
import { registerOnSend } from './on-send';
import { registerWebApp } from './web-static';

describe('compressed delivery', () => {
  const dir = mkdtempSync(join(tmpdir(), 'carebook-compress-'));
  const app = Fastify();
  const js = `export const rows = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ i, name: `row ${i}` })))};`;
  const big = { items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `Clinic number ${i}` })) };

  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'app-AbC123.js'), js);
    // What apps/web/build/precompress.ts writes at build time (here at settings the per-request
    // compressor never uses, so the bytes tell which one answered).
    writeFileSync(
      join(dir, 'assets', 'app-AbC123.js.br'),
      brotliCompressSync(js, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
    writeFileSync(join(dir, 'assets', 'app-AbC123.js.gz'), gzipSync(js, { level: 1 }));
    registerOnSend(app);
    app.get('/api/v1/big', async () => big);
    app.get('/api/v1/small', async () => ({ ok: true }));
    app.get('/api/v1/photo', async (_req, reply) =>
      reply.type('image/jpeg').send(Buffer.alloc(8 * COMPRESS_THRESHOLD_BYTES, 1)),
    );
    app.get('/api/v1/stream', async (_req, reply) =>
      reply.type('text/event-stream').send(`data: ${'x'.repeat(4 * COMPRESS_THRESHOLD_BYTES)}\n\n`),
    );
    app.get('/api/v1/buffer', async (_req, reply) =>
      reply.type('text/csv; charset=utf-8').send(Buffer.from('a,b\n'.repeat(COMPRESS_THRESHOLD_BYTES))),
    );
    app.get('/api/v1/export', async (_req, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send(Readable.from(['line\n'.repeat(100), 'end\n'.repeat(200)])),
    );
    app.get('/api/v1/tiny-stream', async (_req, reply) =>
      reply
        .type('text/plain')
        .header('content-length', 3)
        .send(Readable.from(['abc'])),
    );
    app.get('/api/v1/range', async (_req, reply) =>
      reply.code(206).header('content-range', 'bytes 0-2047/4096').type('text/plain').send('r'.repeat(2048)),
    );
    registerNotFound(app, await registerWebApp(app, dir));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the build-time brotli variant of a static asset to a client that accepts br', async () => {
    const res = await app.inject({
      url: '/assets/app-AbC123.js',
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(brotliDecompressSync(res.rawPayload).toString()).toBe(js);
    expect(res.rawPayload.equals(readFileSync(join(dir, 'assets', 'app-AbC123.js.br')))).toBe(true);
  });

  it('serves the gzip variant to a gzip-only client and the plain file to anyone else', async () => {
    const gz = await app.inject({ url: '/assets/app-AbC123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(js);
    expect(gz.rawPayload.equals(readFileSync(join(dir, 'assets', 'app-AbC123.js.gz')))).toBe(true);
    const plain = await app.inject({
      url: '/assets/app-AbC123.js',
      headers: { 'accept-encoding': 'identity' },
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(js);
  });

  it('compresses a JSON response above the threshold', async () => {
    const br = await app.inject({ url: '/api/v1/big', headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.rawPayload.length).toBeLessThan(JSON.stringify(big).length / 2);
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString())).toEqual(big);
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    // A repeat of the same payload (answered from the memo) is the same bytes.
    const again = await app.inject({ url: '/api/v1/big', headers: { 'accept-encoding': 'br' } });
    expect(again.rawPayload.equals(br.rawPayload)).toBe(true);
    const gz = await app.inject({ url: '/api/v1/big', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString())).toEqual(big);
    const none = await app.inject({ url: '/api/v1/big', headers: { 'accept-encoding': 'identity' } });
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.json()).toEqual(big);
  });

  it('leaves a small JSON response, media and event streams uncompressed', async () => {
    const headers = { 'accept-encoding': 'br, gzip' };
    const small = await app.inject({ url: '/api/v1/small', headers });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json()).toEqual({ ok: true });
    const photo = await app.inject({ url: '/api/v1/photo', headers });
    expect(photo.headers['content-encoding']).toBeUndefined();
    expect(photo.rawPayload.length).toBe(8 * COMPRESS_THRESHOLD_BYTES);
    const stream = await app.inject({ url: '/api/v1/stream', headers });
    expect(stream.headers['content-encoding']).toBeUndefined();
  });

  describe('buffers, streams and partial content', () => {
    it('compresses a text buffer with an exact length, and a text stream without one', async () => {
      const csv = 'a,b\n'.repeat(COMPRESS_THRESHOLD_BYTES);
      const buf = await app.inject({ url: '/api/v1/buffer', headers: { 'accept-encoding': 'gzip' } });
      expect(buf.headers['content-encoding']).toBe('gzip');
      expect(Number(buf.headers['content-length'])).toBe(buf.rawPayload.length);
      expect(gunzipSync(buf.rawPayload).toString()).toBe(csv);
      const text = `${'line\n'.repeat(100)}${'end\n'.repeat(200)}`;
      const br = await app.inject({ url: '/api/v1/export', headers: { 'accept-encoding': 'br' } });
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['content-length']).toBeUndefined();
      expect(br.headers.vary).toMatch(/accept-encoding/i);
      expect(brotliDecompressSync(br.rawPayload).toString()).toBe(text);
      const plain = await app.inject({ url: '/api/v1/export' });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body).toBe(text);
    });

    it('leaves a stream declared under the threshold, partial content and x-no-compression alone', async () => {
      const headers = { 'accept-encoding': 'br, gzip' };
      const tiny = await app.inject({ url: '/api/v1/tiny-stream', headers });
      expect(tiny.headers['content-encoding']).toBeUndefined();
      expect(tiny.body).toBe('abc');
      const range = await app.inject({ url: '/api/v1/range', headers });
      expect(range.statusCode).toBe(206);
      expect(range.headers['content-encoding']).toBeUndefined();
      expect(range.body).toBe('r'.repeat(2048));
      const opted = await app.inject({
        url: '/api/v1/big',
        headers: { ...headers, 'x-no-compression': '1' },
      });
      expect(opted.headers['content-encoding']).toBeUndefined();
      expect(opted.json()).toEqual(big);
    });
  });
});

describe('Accept-Encoding negotiation', () => {
  it('prefers br, falls back to gzip, and honours q=0', async () => {
    const { acceptedEncoding } = await import('./compression');
    expect(acceptedEncoding('gzip, deflate, br')).toBe('br');
    expect(acceptedEncoding('gzip;q=1.0, br;q=0')).toBe('gzip');
    expect(acceptedEncoding('br;q=0.0, gzip;q=0')).toBeNull();
    expect(acceptedEncoding('identity')).toBeNull();
    expect(acceptedEncoding(undefined)).toBeNull();
  });
});
