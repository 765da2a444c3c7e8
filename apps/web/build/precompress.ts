import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** Text formats worth compressing; images, fonts (woff2) and archives are compressed already. */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|xml|webmanifest)$/;

function precompressFile(path: string): { br: number; gz: number } | null {
  const raw = readFileSync(path);
  const br = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  const gz = gzipSync(raw, { level: 9 });
  // A variant that saves nothing is not written: the server then sends the file itself.
  if (br.length >= raw.length && gz.length >= raw.length) return null;
  writeFileSync(`${path}.br`, br);
  writeFileSync(`${path}.gz`, gz);
  return { br: br.length, gz: gz.length };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/**
 * After the bundle is written, stores `file.br` (brotli, quality 11) and `file.gz` (gzip -9) next
 * to every text asset of at least `minBytes`, so the API serves them by Accept-Encoding without
 * compressing anything per request (@fastify/static `preCompressed`).
 */
export function precompress({ minBytes = 1024 }: { minBytes?: number } = {}): Plugin {
  let outDir = 'dist';
  return {
    name: 'carebook-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir);
    },
    writeBundle() {
      let files = 0;
      for (const path of walk(outDir)) {
        if (!COMPRESSIBLE.test(path) || statSync(path).size < minBytes) continue;
        if (precompressFile(path)) files++;
      }
      console.log(`Precompressed ${files} file(s) with brotli and gzip`);
    },
  };
}
