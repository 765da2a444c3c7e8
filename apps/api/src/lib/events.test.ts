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
    expect(errors[0]).toMatchObject({ type: 'provider.exploded', errors: [{ instancePath: '/type' }] });
    // A known type is checked against its own schema, so the error names the field that is wrong.
    expect(errors[1]).toMatchObject({ errors: [{ instancePath: '/payload/version' }] });
  });

  it('gives every consumer the same verdict on one event object', async () => {
    const a = setup();
    const b = setup();
    const good = event({});
    const bad = event({ payload: { providerId } });
    for (const e of [good, bad, good]) {
      await a.handler(e);
      await b.handler(e);
    }
    expect(a.handled).toEqual(['provider.availability.changed', 'provider.availability.changed']);
    expect(b.handled).toEqual(a.handled);
    expect(a.errors).toHaveLength(1);
    expect(b.errors).toEqual(a.errors);
  });

  it('knows the event types beyond the listing and booking ones (privacy, review, account)', async () => {
    const { handled, errors, handler } = setup();
    const bookingId = '0193a5b0-0000-7000-8000-0000000000b1';
    await handler(
      event({
        type: 'privacy.forget',
        aggregateId: bookingId,
        payload: { userId: providerId, bookingIds: [bookingId] },
      }),
    );
    await handler(event({ type: 'review.created', payload: { reviewId: bookingId, providerId } }));
    await handler(
      event({ type: 'account.changed', payload: { userId: providerId, change: 'provider_verified' } }),
    );
    expect(errors).toEqual([]);
    expect(handled).toEqual(['privacy.forget', 'review.created', 'account.changed']);
  });
});
