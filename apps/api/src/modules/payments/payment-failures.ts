/**
 * Failures on the money paths: each is logged with its booking id and counted here, so an
 * operator sees a refund that keeps failing or a payment provider that refuses intents. The
 * counts are plain numbers per path, ready for the observability module to export.
 */
export type MoneyPath = 'payment_start' | 'refund' | 'webhook' | 'payment_cancel';

export interface FailureLog {
  warn(obj: object, msg: string): void;
}

const counts: Record<MoneyPath, number> = { payment_start: 0, refund: 0, webhook: 0, payment_cancel: 0 };

export const paymentFailures = {
  /** Logs one failure on a money path and counts it. */
  record(log: FailureLog | undefined, path: MoneyPath, bookingId: string | null, err: unknown): void {
    counts[path]++;
    log?.warn(
      { err, bookingId, path, failures: counts[path] },
      `payments: ${path.replace('_', ' ')} failed for booking ${bookingId ?? '(unknown)'}`,
    );
  },
  /** A copy of the counts since the process started. */
  snapshot(): Record<MoneyPath, number> {
    return { ...counts };
  },
};
