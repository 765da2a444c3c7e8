import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../domain/errors';
import { type PaymentsPort, WebhookSignatureError } from '../../ports/payments';
import type { PaymentEventsHandler } from '../bookings/booking-payments';

/**
 * POST /api/v1/payments/webhook: the payment provider's signed events (Stripe, or the simulated
 * provider through the same path). The signature is over the exact bytes, so the route parses
 * its own body. A failure answers non-2xx and the provider redelivers; duplicates are harmless.
 */
export function paymentWebhookRoutes(
  app: FastifyInstance,
  payments: PaymentsPort,
  paymentEvents: Pick<PaymentEventsHandler, 'handle'>,
): void {
  // The webhook verifies a signature over the exact bytes, so it parses its own body.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1_048_576 }, (_req, body, done) =>
      done(null, body),
    );
    scope.post(
      '/api/v1/payments/webhook',
      {
        schema: {
          tags: ['payments'],
          summary: 'Payment provider webhook (Stripe-Signature verified); duplicates are harmless',
          response: { 200: Type.Object({ received: Type.Literal(true), result: Type.String() }) },
        },
        config: {
          docs: {
            auth: 'none',
            problems: { 400: 'Bad signature or payload' },
            body: {
              description: 'The provider’s signed event',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          },
        },
      },
      async (request) => {
        const raw = request.body as Buffer;
        let event: ReturnType<PaymentsPort['parseWebhook']>;
        try {
          event = payments.parseWebhook(raw, request.headers['stripe-signature'] as string | undefined);
        } catch (err) {
          if (err instanceof WebhookSignatureError)
            throw new DomainError('VALIDATION_FAILED', `Webhook rejected: ${err.message}`);
          throw err;
        }
        const result = await paymentEvents.handle(event);
        request.log.info({ eventId: event.id, type: event.rawType, result }, 'payment webhook');
        return { received: true as const, result };
      },
    );
  });
}
