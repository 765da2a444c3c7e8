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
  await app.register(compress, {
    global: true,
    threshold: COMPRESS_THRESHOLD_BYTES,
    encodings: ['br', 'gzip'],
    customTypes: COMPRESSIBLE,
    // Request bodies are never inflated here (the body limit applies to what arrives).
    globalDecompression: false,
  });
}
