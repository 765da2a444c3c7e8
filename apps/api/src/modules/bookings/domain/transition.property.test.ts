import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXPECTED_EDGES, edgeKey } from '../../../../test/support/booking-spec';
import { BOOKING_STATUSES, type BookingStatus, isActive, isFinal } from './status';
import { transition } from './transition';
import { ACTORS, BOOKING_EVENT_TYPES, type BookingSnapshot } from './transitions';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-06-01T00:00:00Z');

const step = fc.record({
  type: fc.constantFrom(...BOOKING_EVENT_TYPES),
  actor: fc.constantFrom(...ACTORS),
  reason: fc.option(fc.constantFrom('', ' ', 'Illness', 'Clinic closed'), { nil: undefined }),
  advanceMinutes: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 24 * 60 })),
});

describe('booking state machine over random event sequences', () => {
  it('moves only along allowed edges and never leaves a final state', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }).map((n) => n * 2500),
        fc.constantFrom(...BOOKING_STATUSES),
        fc.integer({ min: -48, max: 96 }),
        fc.integer({ min: 0, max: 72 }),
        fc.option(fc.integer({ min: 1, max: 48 * 60 }), { nil: null }),
        fc.array(step, { minLength: 1, maxLength: 60 }),
        (price, initial, startInHours, windowHours, holdMinutes, steps) => {
          const startsAt = T0 + startInHours * HOUR;
          let booking: BookingSnapshot = {
            status: initial,
            price,
            startsAt,
            endsAt: startsAt + HOUR,
            holdExpiresAt: holdMinutes === null ? null : T0 + holdMinutes * 60_000,
          };
          let now = T0;
          const visited: BookingStatus[] = [initial];
          for (const s of steps) {
            now += s.advanceMinutes * 60_000;
            const from = booking.status;
            const result = transition(
              booking,
              { type: s.type, reason: s.reason },
              {
                actor: s.actor,
                now,
                policy: { cancellationWindowHours: windowHours },
              },
            );
            if (isFinal(from)) {
              expect(result).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' });
              continue;
            }
            if (!result.ok) continue;
            const edge = EXPECTED_EDGES[edgeKey(from, s.type)];
            expect(edge, `${from} ${s.type}`).toBeDefined();
            expect(edge?.actors).toContain(s.actor);
            expect(result.to).toBe(edge?.to);
            expect(result.effects.includes('release_claims')).toBe(isActive(from) && !isActive(result.to));
            expect(result.effects[result.effects.length - 1]).toBe('notify');
            booking = { ...booking, status: result.to };
            visited.push(result.to);
          }
          // Final statuses appear at most once, and only last.
          const firstFinal = visited.findIndex(isFinal);
          if (firstFinal >= 0) expect(firstFinal).toBe(visited.length - 1);
          // Free bookings never start waiting for payment; paid ones are only confirmed through it.
          const moves = visited.slice(1);
          if (price === 0) expect(moves).not.toContain('payment_pending');
          else if (initial === 'pending' && moves.includes('confirmed'))
            expect(moves).toContain('payment_pending');
        },
      ),
      { numRuns: 1000 },
    );
  });
});
