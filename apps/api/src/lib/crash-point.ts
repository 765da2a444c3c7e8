/**
 * Test-only fault injection for the crash tests (apps/api/test/crash.test.ts): when the
 * environment variable `CAREBOOK_CRASH_POINT` names this point, the process kills itself with
 * SIGKILL right here (no cleanup, no flushed buffers: what a power cut or OOM kill looks like).
 * It does nothing unless that variable is set, and no configuration or profile ever sets it;
 * it is also refused outright when NODE_ENV is production without an explicit opt-in.
 */
export type CrashPoint =
  /** The booking transaction committed; the payment intent has not been asked for. */
  | 'booking.after-commit'
  /** The payment provider created the intent; the booking does not know it yet. */
  | 'payment.after-provider'
  /** The relay published a batch; the outbox rows are not marked as published yet. */
  | 'relay.after-publish';

export function crashPoint(point: CrashPoint): void {
  const wanted = process.env.CAREBOOK_CRASH_POINT;
  if (!wanted || wanted !== point) return;
  if (process.env.NODE_ENV === 'production' && process.env.CAREBOOK_CRASH_POINT_IN_PRODUCTION !== '1') return;
  process.kill(process.pid, 'SIGKILL');
}
