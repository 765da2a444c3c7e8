import type { DeliveryMode, DomainEvent } from '../../ports/event-bus';
import { decodeEvent, encodeEvent, MalformedEventError } from './codec';

/** `kafka://broker1:9092,broker2:9092[/topic]` → brokers (and a topic, if the path names one). */
export function parseKafkaUrl(url: string): { brokers: string[]; topic?: string } {
  const match = /^kafka:\/\/([^/?#]+)(?:\/([^/?#]*))?$/.exec(url);
  if (!match) throw new Error(`not a kafka:// URL: ${url}`);
  const brokers = (match[1] as string).split(',');
  for (const broker of brokers)
    if (!/^[A-Za-z0-9.-]+:\d{1,5}$/.test(broker) && !/^\[[0-9A-Fa-f:]+\]:\d{1,5}$/.test(broker))
      throw new Error(`kafka URL: broker "${broker}" must be host:port`);
  const topic = match[2] ? decodeURIComponent(match[2]) : undefined;
  if (topic !== undefined && !/^[A-Za-z0-9._-]{1,249}$/.test(topic))
    throw new Error(`kafka URL: "${topic}" is not a valid topic name`);
  return topic ? { brokers, topic } : { brokers };
}

/** Key = aggregate id, so an aggregate's events share a partition and keep their order. */
export function toKafkaMessage(event: DomainEvent): {
  key: string;
  value: string;
  headers: Record<string, string>;
} {
  return {
    key: event.aggregateId,
    value: encodeEvent(event),
    headers: { 'event-id': event.id, 'event-type': event.type },
  };
}

/** The inverse of `toKafkaMessage`; throws `MalformedEventError` for anything else. */
export function fromKafkaMessage(message: { key: Buffer | null; value: Buffer | null }): DomainEvent {
  if (!message.value) throw new MalformedEventError('message has no value');
  const event = decodeEvent(message.value.toString('utf8'));
  const key = message.key?.toString('utf8');
  if (key !== event.aggregateId)
    throw new MalformedEventError(
      `message key ${key ?? '(none)'} is not the aggregate id ${event.aggregateId}`,
    );
  return event;
}

/** 'once': one group per consumer, shared by the instances; 'broadcast': one per instance. */
export function kafkaGroupId(
  prefix: string,
  consumer: string,
  delivery: DeliveryMode,
  instanceId: string,
): string {
  return delivery === 'once' ? `${prefix}${consumer}` : `${prefix}${consumer}.${instanceId}`;
}
