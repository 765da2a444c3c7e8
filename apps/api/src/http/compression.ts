import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import {
  type BrotliOptions,
  brotliCompressSync,
  constants,
  createBrotliCompress,
  createGzip,
  gzipSync,
} from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Responses smaller than this go out as they are: compressing them saves too little to pay. */
export const COMPRESS_THRESHOLD_BYTES = 1024;

/**
 * Text-like types only: JSON (problem+json, FHIR), text (never text/event-stream, which must
 * flush event by event), XML, JavaScript. Images, video, PDFs and archives are compressed
 * already and octet-stream blobs are left alone.
 */
const COMPRESSIBLE = /^text\/(?!event-stream)|[+/]json(?:;|$)|[+/]xml(?:;|$)|^application\/javascript/;

/** Brotli at quality 4 for streamed responses (the cost of 11 is for build-time assets, apps/web/build/precompress.ts). */
const BROTLI: BrotliOptions = { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } };
/**
 * Brotli at quality 1 for in-line bodies, compressed on the event loop before the answer leaves:
 * on 90 bodies of the distinct-search mix (3.3 KiB on average) quality 4 took 95–115 µs for
 * 909 B, quality 1 35–60 µs for 995 B (docs/benchmarks.md). A body repeated is memoised anyway.
 */
const BROTLI_INLINE: BrotliOptions = { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } };

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

const isStream = (payload: unknown): payload is Readable =>
  typeof (payload as { pipe?: unknown } | null)?.pipe === 'function';

/**
 * The response compressor, called from the one `onSend` hook (http/on-send.ts). Dynamic responses
 * of a text-like type (no Content-Type counts as JSON) are compressed by Accept-Encoding, brotli
 * first, then gzip, with `Vary: Accept-Encoding`:
 * - strings and buffers from {@link COMPRESS_THRESHOLD_BYTES} up, synchronously, with an exact
 *   Content-Length; smaller ones go out as they are, so a tiny body costs a length check;
 * - streams (a file, an export) through a zlib stream, without a Content-Length, unless their
 *   declared Content-Length is under the threshold.
 * Left alone: a response that already has a Content-Encoding (a precompressed static file), partial
 * content (206 or a Content-Range, whose offsets are of the unencoded bytes), a request with an
 * `x-no-compression` header, and anything not text-like (images, PDFs, event streams).
 *
 * Serialised JSON of a hot read (a cached listing, a repeated search) is the same string request
 * after request, so its compressed bytes are kept in a small LRU per encoding keyed by the payload:
 * a repeat costs a map lookup instead of a compression (a payload that is the same string instance
 * as last time is found without hashing its characters again).
 */
export class ResponseCompressor {
  private readonly memos: Record<Encoding, Map<string, Buffer>> = { br: new Map(), gzip: new Map() };

  /** The payload to send: the same one, the compressed bytes, or a compressing stream. */
  compress(request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
    if (payload == null) return payload;
    const stream = isStream(payload);
    if (!stream) {
      const size =
        typeof payload === 'string'
          ? // UTF-16 length ≤ UTF-8 length: only a string near the threshold needs measuring.
            payload.length >= COMPRESS_THRESHOLD_BYTES
            ? payload.length
            : Buffer.byteLength(payload)
          : Buffer.isBuffer(payload)
            ? payload.length
            : -1;
      if (size < COMPRESS_THRESHOLD_BYTES) return payload;
    } else {
      const declared = Number(reply.getHeader('content-length'));
      if (declared < COMPRESS_THRESHOLD_BYTES) return payload;
    }
    const current = reply.getHeader('content-encoding');
    if (
      (current !== undefined && current !== 'identity') ||
      reply.statusCode === 206 ||
      reply.hasHeader('content-range') ||
      request.headers['x-no-compression'] !== undefined ||
      !COMPRESSIBLE.test(String(reply.getHeader('content-type') ?? 'application/json'))
    )
      return payload;
    const encoding = acceptedEncoding(request.headers['accept-encoding']);
    reply.header('vary', mergeVary(reply.getHeader('vary')));
    if (!encoding) return payload;
    reply.header('content-encoding', encoding);
    if (stream) {
      reply.removeHeader('content-length');
      const zip = encoding === 'br' ? createBrotliCompress(BROTLI) : createGzip();
      pipeline(payload, zip, (err) => {
        if (err) reply.log.warn({ err }, 'response compression stream failed');
      });
      return zip;
    }
    const body = this.compressed(encoding, payload as string | Buffer);
    reply.header('content-length', body.length);
    return body;
  }

  private compressed(encoding: Encoding, payload: string | Buffer): Buffer {
    if (typeof payload !== 'string' || payload.length > MEMO_MAX_PAYLOAD) return zip(encoding, payload);
    const memo = this.memos[encoding];
    let body = memo.get(payload);
    if (body) {
      memo.delete(payload);
    } else {
      body = zip(encoding, payload);
      if (memo.size >= MEMO_ENTRIES) memo.delete(memo.keys().next().value as string);
    }
    memo.set(payload, body);
    return body;
  }
}

/**
 * In-line compression. A module function, not a closure made per response: run through tsx
 * (`npm start`), each closure made in a function is also renamed (esbuild's `keepNames`), which
 * cost ~1.5 % of a cached read.
 */
function zip(encoding: Encoding, payload: string | Buffer): Buffer {
  return encoding === 'br' ? brotliCompressSync(payload, BROTLI_INLINE) : gzipSync(payload);
}

function mergeVary(current: unknown): string {
  const value = current === undefined ? '' : String(current);
  if (/(?:^|,)\s*(?:accept-encoding|\*)\s*(?:,|$)/i.test(value)) return value;
  return value ? `${value}, accept-encoding` : 'accept-encoding';
}
