import { PaymentsConfig } from '@carebook/contracts';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config';

/**
 * `GET /api/v1/payments/config`: which checkout the web app shows. With Stripe it carries the
 * publishable key (public by design) so the page can mount Stripe.js; the secret key never leaves
 * the server.
 */
export function paymentsConfigRoutes(app: FastifyInstance, payments: Config['payments']): void {
  const body: PaymentsConfig =
    payments.kind === 'stripe'
      ? { provider: 'stripe', publishableKey: payments.publishableKey }
      : { provider: 'simulated' };
  app.get(
    '/api/v1/payments/config',
    {
      schema: {
        tags: ['payments'],
        summary: 'Which checkout to show, and the Stripe publishable key when Stripe is configured',
        response: { 200: PaymentsConfig },
      },
      config: { docs: { auth: 'none' } },
    },
    async () => body,
  );
}

/**
 * Content-Security-Policy additions Stripe.js needs (Stripe's documented list): its script, its
 * iframes for card entry and 3-D Secure, and its API. Only when Stripe is the provider.
 */
export function stripeCsp(payments: Config['payments']): {
  scriptSrc: string[];
  frameSrc: string[];
  connectSrc: string[];
} {
  if (payments.kind !== 'stripe') return { scriptSrc: [], frameSrc: [], connectSrc: [] };
  return {
    scriptSrc: ['https://js.stripe.com'],
    frameSrc: ['https://js.stripe.com', 'https://hooks.stripe.com'],
    connectSrc: ['https://api.stripe.com'],
  };
}
