import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/** Responses smaller than this go out as they are: compressing them saves too little to pay. */
export const COMPRESS_THRESHOLD_BYTES = 1024;

/**
 * Text-like types only: JSON (problem+json, FHIR), text (never text/event-stream, which must
 * flush event by event), XML, JavaScript. Images, video, PDFs and archives are compressed
 * already and octet-stream blobs are left alone.
 */
const COMPRESSIBLE = /^text\/(?!event-stream)|[+/]json(?:;|$)|[+/]xml(?:;|$)|^application\/javascript/;

/**
 * Dynamic responses above ~1 KiB are compressed by Accept-Encoding, brotli at quality 4 (the
 * cost of 11 is for build-time assets, see apps/web/build/precompress.ts) or gzip. A response
 * that already has a Content-Encoding — a precompressed static file — is sent as it is.
 * WebSocket upgrades never reach the reply pipeline, so they are untouched.
 */
export async function registerCompression(app: FastifyInstance): Promise<void> {
  registerMemoisedCompression(app);
  await app.register(compress, {
    global: true,
    threshold: COMPRESS_THRESHOLD_BYTES,
    encodings: ['br', 'gzip'],
    customTypes: COMPRESSIBLE,
    // Request bodies are never inflated here (the body limit applies to what arrives).
    globalDecompression: false,
  });
}

type Encoding = 'br' | 'gzip';
const MEMO_ENTRIES = 256;
// Per encoding, at most 256 × 64 KiB of payload keys (plus their compressed bytes) stay in memory.
const MEMO_MAX_PAYLOAD = 64 * 1024;

const accepting = (name: string) =>
  new RegExp(`(?:^|,)\\s*${name}\\s*(?:;\\s*q=(?!0(?:\\.0*)?\\s*(?:,|$))[\\d.]+)?\\s*(?:,|$)`, 'i');
const ACCEPTS_BR = accepting('br');
const ACCEPTS_GZIP = accepting('gzip');

/** The encoding to use for an Accept-Encoding header (q=0 means "not acceptable"); br first. */
export function acceptedEncoding(header: string | string[] | undefined): Encoding | null {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  if (ACCEPTS_BR.test(value)) return 'br';
  if (ACCEPTS_GZIP.test(value)) return 'gzip';
  return null;
}

/**
 * Serialised JSON of a hot read (a cached listing, a repeated search) is the same string request
 * after request, so its compressed bytes are kept in a small LRU keyed by encoding and payload:
 * a repeat costs a string hash instead of a compression. Other payloads (streams, buffers, media)
 * are left to @fastify/compress, which skips a response that already has a Content-Encoding.
 */
function registerMemoisedCompression(app: FastifyInstance): void {
  // One LRU per encoding, keyed by the payload itself: a payload that is the same string instance
  // as last time (a memoised response body) is found without hashing its characters again.
  const memos: Record<Encoding, Map<string, Buffer>> = { br: new Map(), gzip: new Map() };
  app.addHook('onSend', (request, reply, payload, done) => {
    if (
      typeof payload !== 'string' ||
      payload.length < COMPRESS_THRESHOLD_BYTES ||
      payload.length > MEMO_MAX_PAYLOAD ||
      reply.hasHeader('content-encoding') ||
      !COMPRESSIBLE.test(String(reply.getHeader('content-type') ?? ''))
    ) {
      done(null, payload);
      return;
    }
    const encoding = acceptedEncoding(request.headers['accept-encoding']);
    reply.header('vary', mergeVary(reply.getHeader('vary')));
    if (!encoding) {
      done(null, payload);
      return;
    }
    const memo = memos[encoding];
    let body = memo.get(payload);
    if (body) {
      memo.delete(payload);
    } else {
      body =
        encoding === 'br'
          ? brotliCompressSync(payload, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } })
          : gzipSync(payload);
      if (memo.size >= MEMO_ENTRIES) memo.delete(memo.keys().next().value as string);
    }
    memo.set(payload, body);
    reply.header('content-encoding', encoding);
    reply.removeHeader('content-length');
    done(null, body);
  });
}

function mergeVary(current: unknown): string {
  const value = current === undefined ? '' : String(current);
  if (/(?:^|,)\s*(?:accept-encoding|\*)\s*(?:,|$)/i.test(value)) return value;
  return value ? `${value}, accept-encoding` : 'accept-encoding';
}
