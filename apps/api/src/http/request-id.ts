import { randomFillSync } from 'node:crypto';
import { V7Generator } from 'uuidv7';

/** Random 32-bit words drawn from a 4 KiB pool, refilled by one `randomFillSync` when used up. */
class PooledRandom {
  private readonly pool = new Uint32Array(1024);
  private cursor = this.pool.length;

  nextUint32(): number {
    if (this.cursor >= this.pool.length) {
      randomFillSync(this.pool);
      this.cursor = 0;
    }
    return this.pool[this.cursor++] as number;
  }
}

const generator = new V7Generator(new PooledRandom());

/**
 * A request id: a time-ordered UUIDv7 like every other id (`lib/ids.ts`), from a generator whose
 * randomness comes from a pool of 1,024 words. `uuidv7`'s default keeps 8 and refills them
 * through WebCrypto's `getRandomValues` every two or three ids, which cost ~5 % of the CPU of a
 * `/healthz` request.
 */
export const newRequestId = (): string => generator.generate().toString();
