import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

/**
 * Serves the built web app when it exists. Vite writes content-hashed file names under
 * `assets/`, so those are immutable for a year; everything else (index.html above all, which
 * names the current hashes) is revalidated on every load, so a deploy is picked up at once.
 * Text assets are served from their build-time brotli/gzip variants when the client accepts them.
 */
export async function registerWebApp(app: FastifyInstance, distDir: string): Promise<boolean> {
  if (!existsSync(join(distDir, 'index.html'))) return false;
  const assetsDir = join(distDir, 'assets') + sep;
  await app.register(fastifyStatic, {
    root: distDir,
    wildcard: false,
    index: false,
    cacheControl: false,
    // `file.br` / `file.gz` written at build time (apps/web/build/precompress.ts) are sent by
    // Accept-Encoding, with `Vary: Accept-Encoding`; no static file is compressed per request.
    preCompressed: true,
    setHeaders(reply, path) {
      reply.header('cache-control', path.startsWith(assetsDir) ? IMMUTABLE : REVALIDATE);
    },
  });
  return true;
}
