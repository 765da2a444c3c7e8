import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

interface ChunkLike {
  type: 'chunk' | 'asset';
  fileName: string;
  isEntry?: boolean;
  imports?: string[];
  code?: string;
}

/** The entry chunk plus everything it imports statically: what the browser must load first. */
export function initialChunks(bundle: Record<string, ChunkLike>): ChunkLike[] {
  const seen = new Set<string>();
  const walk = (name: string) => {
    const chunk = bundle[name];
    if (chunk?.type !== 'chunk' || seen.has(name)) return;
    seen.add(name);
    for (const dep of chunk.imports ?? []) walk(dep);
  };
  for (const [name, chunk] of Object.entries(bundle)) if (chunk.type === 'chunk' && chunk.isEntry) walk(name);
  return [...seen].map((n) => bundle[n] as ChunkLike);
}

/**
 * Prints the initial JavaScript, gzipped, after every build and fails the build when it is over
 * budget (routes are lazy chunks and do not count).
 */
export function initialJsSize({ budgetKiB }: { budgetKiB: number }): Plugin {
  return {
    name: 'carebook-initial-js-size',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = initialChunks(bundle as unknown as Record<string, ChunkLike>);
      const bytes = chunks.reduce((n, c) => n + gzipSync(c.code ?? '', { level: 9 }).length, 0);
      const kib = bytes / 1024;
      const brotli = chunks.reduce(
        (n, c) =>
          n + brotliCompressSync(c.code ?? '', { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
        0,
      );
      const line = `Initial JavaScript: ${kib.toFixed(1)} KiB gzipped, ${(brotli / 1024).toFixed(1)} KiB brotli in ${chunks.length} chunk(s) (budget ${budgetKiB} KiB)`;
      if (kib > budgetKiB) this.error(`${line} — over budget`);
      console.log(`\n${line}`);
    },
  };
}
