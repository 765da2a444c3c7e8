import type { EventEmitter } from 'node:events';
import type { ErrorTracker } from './error-tracker';

/**
 * Process-level safety net: an unhandled rejection or an uncaught exception is logged once (with
 * its fingerprint), counted in `carebook_errors_total{source="process"}`, sent to Sentry when
 * configured, and then the instance shuts down cleanly (drains requests, closes connections) and
 * exits non-zero, so the orchestrator restarts it: after such an error its state is unknown.
 */
export function installProcessHandlers(
  proc: Pick<EventEmitter, 'on'>,
  errors: ErrorTracker,
  shutdown: (reason: string, exitCode: number) => void,
): void {
  proc.on('unhandledRejection', (reason: unknown) => {
    errors.report(
      'process',
      reason,
      { kind: 'unhandledRejection' },
      'unhandled promise rejection; shutting down',
    );
    shutdown('unhandledRejection', 1);
  });
  proc.on('uncaughtException', (err: unknown) => {
    errors.report('process', err, { kind: 'uncaughtException' }, 'uncaught exception; shutting down');
    shutdown('uncaughtException', 1);
  });
}
