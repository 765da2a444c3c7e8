/** What one instance tells the others to drop from their L1 (see layered.ts). */
export type Invalidation = { kind: 'key'; key: string } | { kind: 'tag'; tag: string } | { kind: 'all' };

export interface InvalidationHandlers {
  /** Another instance's invalidation. Must apply it before returning (synchronously). */
  onMessage(message: Invalidation): void;
  /** Messages may have been lost (the subscription dropped): forget everything you hold. */
  onGap(): void;
}

/**
 * Broadcasts L1 invalidations between API instances. Delivery is at most once and in order per
 * connection; `barrier` is what turns that into a freshness guarantee: once it resolves, every
 * message published (and acknowledged to its publisher) before `barrier` was called has been
 * handed to `onMessage`, or `onGap` has been called.
 */
export interface InvalidationBus {
  /** Starts the subscription; resolves once it is live. Call once. */
  start(handlers: InvalidationHandlers): Promise<void>;
  /** Sends to every other instance; resolves once the server has accepted (and fanned out) it. */
  publish(message: Invalidation): Promise<void>;
  /** See above; rejects if the subscription is not live, drops meanwhile, or does not answer in time. */
  barrier(): Promise<void>;
  /** The subscription is up (messages are being received). */
  readonly live: boolean;
  close(): Promise<void>;
}

export function encodeInvalidation(origin: string, message: Invalidation): string {
  return JSON.stringify({ o: origin, ...message });
}

/** The message and its sender, or undefined for anything that is not a well-formed invalidation. */
export function decodeInvalidation(raw: string): { origin: string; message: Invalidation } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { o, kind, key, tag } = parsed as Record<string, unknown>;
  if (typeof o !== 'string') return undefined;
  if (kind === 'key' && typeof key === 'string') return { origin: o, message: { kind, key } };
  if (kind === 'tag' && typeof tag === 'string') return { origin: o, message: { kind, tag } };
  if (kind === 'all') return { origin: o, message: { kind } };
  return undefined;
}
