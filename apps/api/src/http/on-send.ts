import type { FastifyInstance } from 'fastify';
import { ResponseCompressor } from './compression';
import { applyNoStore } from './no-store';

/**
 * The one synchronous `onSend` hook of every response: `Cache-Control: no-store` where the answer
 * is personal (no-store.ts), then compression by Accept-Encoding (compression.ts). One hook instead
 * of three (no-store, the compression memo, @fastify/compress's per-route `onRequest` and `onSend`):
 * each hook is a step of Fastify's hook chain on every request, and a small body leaves this one
 * after a length check.
 */
export function registerOnSend(app: FastifyInstance): void {
  const compressor = new ResponseCompressor();
  app.addHook('onSend', (request, reply, payload, done) => {
    applyNoStore(request, reply);
    let sent: unknown;
    try {
      sent = compressor.compress(request, reply, payload);
    } catch (err) {
      done(err as Error);
      return;
    }
    done(null, sent);
  });
}
