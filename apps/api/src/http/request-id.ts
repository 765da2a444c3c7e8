import { newId } from '../lib/ids';

/**
 * A request id: a time-ordered UUIDv7 like every other id (`lib/ids.ts`, whose randomness comes
 * from a pool: `uuidv7`'s default refilled 8 words through WebCrypto every two or three ids, ~5 %
 * of the CPU of a `/healthz` request).
 */
export const newRequestId = newId;
