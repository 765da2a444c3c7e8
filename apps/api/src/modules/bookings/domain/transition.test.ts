import { describe, expect, it } from 'vitest';
import { EXPECTED_EDGES, edgeKey } from '../../../../test/support/booking-spec';
import {
  ACTIVE_STATUSES,
  BOOKING_STATUSES,
  type BookingStatus,
  FINAL_STATUSES,
  isActive,
  isFinal,
} from './status';
import { transition } from './transition';
import {
  ACTORS,
  BOOKING_EVENT_TYPES,
  type BookingEvent,
  type BookingSnapshot,
  TRANSITIONS,
  type TransitionContext,
} from './transitions';

const HOUR = 3_600_000;
const START = Date.parse('2026-06-10T09:00:00Z');
const END = START + HOUR;
const POLICY = { cancellationWindowHours: 24 };

interface Scenario {
  price: number;
  now: number;
  holdExpiresAt: number | null;
  reason: string | undefined;
}
/** Columns of the matrix below. */
const SCENARIOS: Record<string, Scenario> = {
  paidEarly: { price: 5000, now: START - 48 * HOUR, holdExpiresAt: START - 47 * HOUR, reason: 'Illness' },
  freeHoldOver: { price: 0, now: START - 48 * HOUR, holdExpiresAt: START - 48 * HOUR, reason: 'Illness' },
  inWindow: { price: 5000, now: START - 2 * HOUR, holdExpiresAt: START - 3 * HOUR, reason: 'Illness' },
  started: { price: 5000, now: START + 10 * 60_000, holdExpiresAt: START - 3 * HOUR, reason: 'Illness' },
  ended: { price: 5000, now: END, holdExpiresAt: START - 3 * HOUR, reason: 'Illness' },
  noReason: { price: 5000, now: START - 48 * HOUR, holdExpiresAt: START - 49 * HOUR, reason: '  ' },
};
const COLUMNS = Object.keys(SCENARIOS);

const INV = 'INVALID_TRANSITION';
const WIN = 'CANCELLATION_WINDOW_PASSED';
const RSN = 'REASON_REQUIRED';
const CANCEL_ROW = ['cancelled', 'cancelled', 'cancelled', 'cancelled', 'cancelled', RSN];
const PATIENT_CANCEL_ROW = ['cancelled', 'cancelled', WIN, WIN, WIN, 'cancelled'];
/** An unpaid hold: the patient may always let it go, whatever the window. */
const PATIENT_DROP_HOLD_ROW = ['cancelled', 'cancelled', 'cancelled', 'cancelled', 'cancelled', 'cancelled'];
const AFTER_START_ROW = [INV, INV, INV, 'STATUS', 'STATUS', INV];
const afterStart = (to: string) => AFTER_START_ROW.map((c) => (c === 'STATUS' ? to : c));

/**
 * Outcome of every (state, event, actor) the table has a rule for, per scenario: the target status
 * or the refusal code. Every other combination must be INVALID_TRANSITION (no rule for the state
 * and event) or FORBIDDEN (rule exists, other actors).
 */
// biome-ignore format: a matrix reads best aligned
const MATRIX: Record<string, string[]> = {
  //                                            paidEarly          freeHoldOver  inWindow           started            ended              noReason
  'pending require_payment system':           ['payment_pending', INV,          'payment_pending', 'payment_pending', 'payment_pending', 'payment_pending'],
  'pending confirm system':                   [INV,               'confirmed',  INV,               INV,               INV,               INV],
  'payment_pending payment_succeeded system': ['confirmed',       'confirmed',  'confirmed',       'confirmed',       'confirmed',       'confirmed'],
  'pending expire system':                    [INV,               'expired',    'expired',         'expired',         'expired',         'expired'],
  'payment_pending expire system':            [INV,               'expired',    'expired',         'expired',         'expired',         'expired'],
  'confirmed start system':                   afterStart('in_progress'),
  'in_progress complete system':              [INV,               INV,          INV,               INV,               'completed',       INV],
  'in_progress complete provider':            Array(6).fill('completed'),
  'in_progress complete staff':               Array(6).fill('completed'),
  'confirmed complete provider':              afterStart('completed'),
  'confirmed complete staff':                 afterStart('completed'),
  'pending cancel patient':                   PATIENT_DROP_HOLD_ROW,
  'payment_pending cancel patient':           PATIENT_DROP_HOLD_ROW,
  'confirmed cancel patient':                 PATIENT_CANCEL_ROW,
  'pending cancel system':                    CANCEL_ROW,
  'pending cancel provider':                  CANCEL_ROW,
  'pending cancel staff':                     CANCEL_ROW,
  'pending cancel admin':                     CANCEL_ROW,
  'payment_pending cancel provider':          CANCEL_ROW,
  'payment_pending cancel staff':             CANCEL_ROW,
  'payment_pending cancel admin':             CANCEL_ROW,
  'confirmed cancel provider':                CANCEL_ROW,
  'confirmed cancel staff':                   CANCEL_ROW,
  'confirmed cancel admin':                   CANCEL_ROW,
  'confirmed mark_no_show provider':          afterStart('no_show'),
  'confirmed mark_no_show staff':             afterStart('no_show'),
  'in_progress mark_no_show provider':        afterStart('no_show'),
  'in_progress mark_no_show staff':           afterStart('no_show'),
};

const booking = (status: BookingStatus, s: Scenario): BookingSnapshot => ({
  status,
  price: s.price,
  startsAt: START,
  endsAt: END,
  holdExpiresAt: s.holdExpiresAt,
});

describe('transition: every (state, event, actor) in every scenario', () => {
  it('the matrix lists exactly the combinations the expected edges allow', () => {
    const fromEdges = Object.entries(EXPECTED_EDGES).flatMap(([key, e]) =>
      e.actors.map((a) => `${key} ${a}`),
    );
    expect(Object.keys(MATRIX).sort()).toEqual(fromEdges.sort());
  });

  COLUMNS.forEach((column, col) => {
    it(`scenario ${column}`, () => {
      const scenario = SCENARIOS[column] as Scenario;
      let checked = 0;
      for (const status of BOOKING_STATUSES) {
        for (const type of BOOKING_EVENT_TYPES) {
          for (const actor of ACTORS) {
            const event: BookingEvent = { type, reason: scenario.reason };
            const ctx: TransitionContext = { actor, now: scenario.now, policy: POLICY };
            const result = transition(booking(status, scenario), event, ctx);
            const key = `${status} ${type} ${actor}`;
            const edge = EXPECTED_EDGES[edgeKey(status, type)];
            const expected = MATRIX[key]?.[col] ?? (edge ? 'FORBIDDEN' : INV);
            const got = result.ok ? result.to : result.code;
            expect(got, key).toBe(expected);
            if (result.ok) expect(result.from).toBe(status);
            else expect(result.reason.length).toBeGreaterThan(0);
            checked++;
          }
        }
      }
      expect(checked).toBe(BOOKING_STATUSES.length * BOOKING_EVENT_TYPES.length * ACTORS.length);
    });
  });

  it('has at most one rule per (state, event, actor)', () => {
    const seen = new Set<string>();
    for (const rule of TRANSITIONS) {
      for (const from of rule.from) {
        for (const actor of rule.actors) {
          const key = `${from} ${rule.event} ${actor}`;
          expect(seen.has(key), key).toBe(false);
          seen.add(key);
        }
      }
    }
  });
});

describe('guards at their boundaries', () => {
  const paid = booking('confirmed', SCENARIOS.paidEarly as Scenario);
  const at = (now: number, actor: TransitionContext['actor'] = 'patient') => ({ actor, now, policy: POLICY });

  it('a patient may cancel up to and including the deadline, not a millisecond later', () => {
    const deadline = START - 24 * HOUR;
    expect(transition(paid, { type: 'cancel' }, at(deadline))).toMatchObject({ ok: true, to: 'cancelled' });
    expect(transition(paid, { type: 'cancel' }, at(deadline + 1))).toMatchObject({
      ok: false,
      code: WIN,
      reason: 'patients may cancel until 2026-06-09T09:00:00.000Z',
    });
    const zeroWindow = { actor: 'patient' as const, now: START, policy: { cancellationWindowHours: 0 } };
    expect(transition(paid, { type: 'cancel' }, zeroWindow).ok).toBe(true);
    expect(transition(paid, { type: 'cancel' }, { ...zeroWindow, now: START + 1 }).ok).toBe(false);
  });

  it('the practice may cancel after the window and after the start, with a reason', () => {
    expect(transition(paid, { type: 'cancel', reason: 'Clinic closed' }, at(START + HOUR, 'admin')).ok).toBe(
      true,
    );
    expect(transition(paid, { type: 'cancel' }, at(START, 'staff'))).toMatchObject({ ok: false, code: RSN });
  });

  it('the clock starts at the start and completes at the end, not before', () => {
    expect(transition(paid, { type: 'start' }, at(START - 1, 'system')).ok).toBe(false);
    expect(transition(paid, { type: 'start' }, at(START, 'system')).ok).toBe(true);
    const running = { ...paid, status: 'in_progress' as const };
    expect(transition(running, { type: 'complete' }, at(END - 1, 'system')).ok).toBe(false);
    expect(transition(running, { type: 'complete' }, at(END, 'system')).ok).toBe(true);
    expect(transition(running, { type: 'complete' }, at(END - 1, 'provider')).ok).toBe(true);
  });

  it('a hold without an expiry never expires, one with an expiry expires exactly then', () => {
    const pending = { ...paid, status: 'pending' as const, holdExpiresAt: null };
    expect(transition(pending, { type: 'expire' }, at(END * 2, 'system'))).toMatchObject({
      ok: false,
      code: INV,
    });
    const held = { ...pending, holdExpiresAt: START - HOUR };
    expect(transition(held, { type: 'expire' }, at(START - HOUR - 1, 'system')).ok).toBe(false);
    expect(transition(held, { type: 'expire' }, at(START - HOUR, 'system')).ok).toBe(true);
  });
});

describe('effects', () => {
  const ctx = (actor: TransitionContext['actor'], now = START - 48 * HOUR): TransitionContext => ({
    actor,
    now,
    policy: POLICY,
  });
  const make = (status: BookingStatus, price = 5000): BookingSnapshot => ({
    status,
    price,
    startsAt: START,
    endsAt: END,
    holdExpiresAt: START - 72 * HOUR,
  });
  const effects = (b: BookingSnapshot, e: BookingEvent, c: TransitionContext) => {
    const r = transition(b, e, c);
    if (!r.ok) throw new Error(r.reason);
    return r.effects;
  };

  it('refunds a paid confirmed booking on any cancellation, never a free or unpaid one', () => {
    const refund = ['release_claims', 'refund', 'notify'];
    expect(effects(make('confirmed'), { type: 'cancel' }, ctx('patient'))).toEqual(refund);
    expect(
      effects(make('confirmed'), { type: 'cancel', reason: 'Sick' }, ctx('provider', START + HOUR)),
    ).toEqual(refund);
    expect(effects(make('confirmed', 0), { type: 'cancel' }, ctx('patient'))).toEqual([
      'release_claims',
      'notify',
    ]);
    expect(effects(make('pending'), { type: 'cancel' }, ctx('patient'))).toEqual([
      'release_claims',
      'notify',
    ]);
  });

  it('cancels the in-flight payment when a payment-pending booking ends', () => {
    const expected = ['release_claims', 'cancel_payment', 'notify'];
    expect(effects(make('payment_pending'), { type: 'cancel' }, ctx('patient'))).toEqual(expected);
    expect(effects(make('payment_pending'), { type: 'expire' }, ctx('system'))).toEqual(expected);
    expect(effects(make('pending'), { type: 'expire' }, ctx('system'))).toEqual(['release_claims', 'notify']);
  });

  it('releases claims exactly when leaving the active statuses', () => {
    expect(effects(make('pending'), { type: 'require_payment' }, ctx('system'))).toEqual(['notify']);
    expect(effects(make('payment_pending'), { type: 'payment_succeeded' }, ctx('system'))).toEqual([
      'notify',
    ]);
    expect(effects(make('confirmed'), { type: 'start' }, ctx('system', START))).toEqual(['notify']);
    expect(effects(make('in_progress'), { type: 'complete' }, ctx('staff', START))).toEqual([
      'release_claims',
      'notify',
    ]);
    expect(effects(make('confirmed'), { type: 'mark_no_show' }, ctx('provider', START))).toEqual([
      'release_claims',
      'notify',
    ]);
  });
});

describe('status classification', () => {
  it('every status is either active or final, never both', () => {
    expect([...ACTIVE_STATUSES, ...FINAL_STATUSES].sort()).toEqual([...BOOKING_STATUSES].sort());
    for (const s of BOOKING_STATUSES) expect(isActive(s)).toBe(!isFinal(s));
    expect(BOOKING_STATUSES.filter(isActive)).toEqual([
      'pending',
      'payment_pending',
      'confirmed',
      'in_progress',
    ]);
  });
});
