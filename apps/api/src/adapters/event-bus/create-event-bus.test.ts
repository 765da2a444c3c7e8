import { describe, expect, it } from 'vitest';
import { createEventBus } from './create-event-bus';
import { InProcessEventBus } from './in-process';
import { KafkaEventBus } from './kafka';
import { RedisStreamsEventBus } from './redis-streams';

describe('createEventBus', () => {
  it('picks the adapter from the URL', async () => {
    const buses = [
      createEventBus('memory', { instanceId: 'web-1' }),
      createEventBus('redis://127.0.0.1:6379', { instanceId: 'web-1', redis: { keyPrefix: 'x:' } }),
      createEventBus('rediss://cache.example.org:6380', { instanceId: 'web-1' }),
      createEventBus('kafka://k1:9092,k2:9092/carebook.events', { instanceId: 'web-1' }),
    ];
    expect(buses[0]).toBeInstanceOf(InProcessEventBus);
    expect(buses[1]).toBeInstanceOf(RedisStreamsEventBus);
    expect((buses[1] as RedisStreamsEventBus).keyPrefix).toBe('x:');
    expect(buses[2]).toBeInstanceOf(RedisStreamsEventBus);
    expect(buses[3]).toBeInstanceOf(KafkaEventBus);
    // Nothing connected: closing never-started buses is immediate and clean.
    await Promise.all(buses.map((b) => b.close()));
  });

  it('refuses anything else', () => {
    expect(() => createEventBus('nats://x:4222', { instanceId: 'a' })).toThrow(/EVENT_BUS_URL/);
    expect(() => createEventBus('kafka://nohostport', { instanceId: 'a' })).toThrow(/host:port/);
    expect(() => createEventBus('redis://127.0.0.1:6379', { instanceId: 'bad id' })).toThrow(/instanceId/);
  });
});
