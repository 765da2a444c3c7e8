import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../ports/event-bus';
import { checkedEvents } from './events';

const providerId = '0193a5b0-0000-7000-8000-0000000000c1';
const event = (over: Partial<DomainEvent>): DomainEvent => ({
  id: '0193a5b0-0000-7000-8000-0000000000e1',
  type: 'provider.availability.changed',
  aggregateId: providerId,
  occurredAt: '2026-11-24T12:00:00.000Z',
  payload: { providerId, version: 2 },
  ...over,
});

describe('checkedEvents', () => {
  const setup = () => {
    const handled: string[] = [];
    const errors: unknown[] = [];
    const handler = checkedEvents(
      async (e) => {
        handled.push(e.type);
      },
      { error: (obj: unknown) => errors.push(obj) },
    );
    return { handled, errors, handler };
  };

  it('passes an event of the contracts on to the handler', async () => {
    const { handled, errors, handler } = setup();
    await handler(event({}));
    expect(handled).toEqual(['provider.availability.changed']);
    expect(errors).toEqual([]);
  });

  it('skips and logs an unknown type or a payload of the wrong shape, without throwing', async () => {
    const { handled, errors, handler } = setup();
    await handler(event({ type: 'provider.exploded' }));
    await handler(event({ payload: { providerId, version: 'two' } }));
    await handler(event({ type: 'booking.created', payload: { providerId, version: 2 } }));
    expect(handled).toEqual([]);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatchObject({ type: 'provider.exploded' });
  });
});
