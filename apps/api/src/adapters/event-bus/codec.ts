import type { DomainEvent } from '../../ports/event-bus';

/** How an event travels on a broker: one JSON document (Redis field `e`, Kafka message value). */
export function encodeEvent(event: DomainEvent): string {
  const { id, type, aggregateId, occurredAt, payload, traceparent } = event;
  return JSON.stringify({
    id,
    type,
    aggregateId,
    occurredAt,
    payload,
    ...(traceparent ? { traceparent } : {}),
  });
}

export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
}

/** The inverse of `encodeEvent`; a document that is not an event throws `MalformedEventError`. */
export function decodeEvent(text: string): DomainEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedEventError(`not JSON: ${text.slice(0, 80)}`);
  }
  if (typeof value !== 'object' || value === null) throw new MalformedEventError('not an object');
  const v = value as Record<string, unknown>;
  for (const field of ['id', 'type', 'aggregateId', 'occurredAt'] as const) {
    if (typeof v[field] !== 'string' || v[field] === '')
      throw new MalformedEventError(`field ${field} must be a non-empty string`);
  }
  if (typeof v.payload !== 'object' || v.payload === null || Array.isArray(v.payload))
    throw new MalformedEventError('field payload must be an object');
  return {
    id: v.id as string,
    type: v.type as string,
    aggregateId: v.aggregateId as string,
    occurredAt: v.occurredAt as string,
    payload: v.payload as Record<string, unknown>,
    ...(typeof v.traceparent === 'string' && v.traceparent !== '' ? { traceparent: v.traceparent } : {}),
  };
}

/** FNV-1a over the UTF-8 bytes: a stable partition for an aggregate id, same in every process. */
export function partitionOf(aggregateId: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(aggregateId, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
