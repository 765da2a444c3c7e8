import type { Mailer, MailMessage } from '../../ports/mailer';
import type { DependencyBreaker } from './breaker';

/**
 * The mailer behind a timeout and a circuit breaker. A refused or timed-out send throws, so the
 * notification consumer fails and its event is delivered again later: the mail waits in the
 * outbox/stream, nothing is lost (a retried send carries the same Message-ID).
 */
export class GuardedMailer implements Mailer {
  constructor(
    private readonly inner: Mailer,
    private readonly breaker: DependencyBreaker,
  ) {}

  send(message: MailMessage): Promise<void> {
    return this.breaker.run(() => this.inner.send(message));
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
