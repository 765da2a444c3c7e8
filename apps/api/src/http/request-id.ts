import { V7Generator } from 'uuidv7';
import { RandomPool } from '../lib/random-pool';

const generator = new V7Generator(new RandomPool());

/**
 * A request id: a time-ordered UUIDv7 like every other id (`lib/ids.ts`), from a generator of its
 * own whose randomness comes from a pool (`lib/random-pool.ts`). `uuidv7`'s default keeps 8 words
 * and refills them through WebCrypto's `getRandomValues` every two or three ids, which cost ~5 %
 * of the CPU of a `/healthz` request.
 */
export const newRequestId = (): string => generator.generate().toString();
