import type { CreateIntentInput, PaymentIntent, PaymentsPort, RefundInput } from '../../ports/payments';
import type { DependencyBreaker } from './breaker';

/**
 * The payments port behind a timeout and a circuit breaker. While the circuit is open a call
 * fails at once with SERVICE_UNAVAILABLE and a Retry-After, instead of holding the request while
 * stripe-node retries a dead connection. Idempotency keys make the caller's later retry safe even
 * when a timed-out call did reach the provider. Webhook parsing is local and is not guarded.
 */
export class GuardedPayments implements PaymentsPort {
  constructor(
    private readonly inner: PaymentsPort,
    private readonly breaker: DependencyBreaker,
  ) {}

  get name(): PaymentsPort['name'] {
    return this.inner.name;
  }

  createIntent(input: CreateIntentInput): Promise<PaymentIntent> {
    return this.breaker.run(() => this.inner.createIntent(input));
  }

  cancelIntent(paymentIntentId: string): Promise<void> {
    return this.breaker.run(() => this.inner.cancelIntent(paymentIntentId));
  }

  refund(input: RefundInput): ReturnType<PaymentsPort['refund']> {
    return this.breaker.run(() => this.inner.refund(input));
  }

  parseWebhook(
    rawBody: Buffer,
    signatureHeader: string | undefined,
  ): ReturnType<PaymentsPort['parseWebhook']> {
    return this.inner.parseWebhook(rawBody, signatureHeader);
  }
}
