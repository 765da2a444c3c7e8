import { timingSafeEqual } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { SimulatedIntent, SimulatedPayments } from '../../adapters/payments/simulated';
import { DomainError } from '../../domain/errors';

const IntentParams = Type.Object(
  { id: Type.String({ pattern: '^pi_sim_[0-9a-f]{24}$', description: 'Simulated PaymentIntent id' }) },
  { additionalProperties: false },
);
const ClientSecret = Type.String({ minLength: 1, maxLength: 100, description: "The intent's client secret" });
const SecretQuery = Type.Object({ clientSecret: ClientSecret }, { additionalProperties: false });
const PayBody = Type.Object(
  {
    clientSecret: ClientSecret,
    cardNumber: Type.String({
      pattern: '^[0-9][0-9 -]{10,22}[0-9]$',
      description:
        'A test card: 4242424242424242 succeeds, 4000000000000002 is declined, 4000000000009995 has insufficient funds',
    }),
  },
  { additionalProperties: false },
);
const CheckoutIntent = Type.Object(
  {
    id: Type.String(),
    bookingId: Type.String(),
    amountCents: Type.Integer({ minimum: 0 }),
    currency: Type.String({ description: 'ISO 4217, upper case' }),
    status: Type.Union([
      Type.Literal('requires_payment_method'),
      Type.Literal('succeeded'),
      Type.Literal('canceled'),
    ]),
    lastDeclineCode: Type.Union([Type.String(), Type.Null()], {
      description: 'Why the last attempt was declined',
    }),
  },
  { additionalProperties: false },
);
type CheckoutIntent = Static<typeof CheckoutIntent>;

const secretMatches = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The simulated provider's hosted checkout (embedded profile): the web app's /checkout/{id} page
 * reads the intent and pays it with a test card. Whoever holds the client secret may do both,
 * as with Stripe.js; a wrong secret looks exactly like an unknown intent. The outcome reaches
 * the booking through the signed webhook, not through this response.
 */
export function simulatedCheckoutRoutes(app: FastifyInstance, payments: SimulatedPayments): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['payments'];
  const load = async (id: string, clientSecret: string): Promise<SimulatedIntent> => {
    const intent = await payments.getIntent(id);
    if (!intent || !secretMatches(intent.clientSecret, clientSecret)) {
      throw new DomainError('NOT_FOUND', 'The payment does not exist.');
    }
    return intent;
  };
  const view = ({
    id,
    bookingId,
    amountCents,
    currency,
    status,
    lastDeclineCode,
  }: SimulatedIntent): CheckoutIntent => ({
    id,
    bookingId,
    amountCents,
    currency,
    status,
    lastDeclineCode,
  });

  r.get(
    '/api/v1/payments/simulated/intents/:id',
    {
      schema: {
        tags,
        summary: 'A simulated payment, for its checkout page',
        params: IntentParams,
        querystring: SecretQuery,
        response: { 200: CheckoutIntent },
      },
      config: {
        docs: { auth: 'none', problems: { 404: 'No such payment, or the client secret does not match' } },
      },
    },
    async (request) => view(await load(request.params.id, request.query.clientSecret)),
  );

  r.post(
    '/api/v1/payments/simulated/intents/:id/pay',
    {
      schema: {
        tags,
        summary: 'Pay a simulated payment with a test card',
        params: IntentParams,
        body: PayBody,
        response: { 200: CheckoutIntent },
      },
      config: {
        docs: {
          auth: 'none',
          problems: {
            404: 'No such payment, or the client secret does not match',
            409: 'The payment was cancelled',
            422: 'The card was declined (UNPROCESSABLE)',
          },
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      await load(id, request.body.clientSecret);
      const outcome = await payments.pay(id, request.body.cardNumber);
      if (outcome.status === 'declined') {
        throw new DomainError('UNPROCESSABLE', `${outcome.message} (${outcome.declineCode})`);
      }
      const paid = await payments.getIntent(id);
      if (!paid) throw new DomainError('NOT_FOUND', 'The payment does not exist.');
      return view(paid);
    },
  );
}
