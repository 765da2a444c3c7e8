import type { Kysely } from 'kysely';
import { FakeStripeServer } from '../../../../tools/stand-ins/fake-stripe-server';
import { SimulatedPayments } from '../../src/adapters/payments/simulated';
import { StripePayments } from '../../src/adapters/payments/stripe';
import { simulatedPayments } from '../../src/db/migrations/bookings/20261124T2230-simulated-payments';
import type { BookingDatabase } from '../../src/db/schema';
import { type Clock, systemClock } from '../../src/ports/clock';
import type { PaymentEvent, PaymentsPort } from '../../src/ports/payments';
import { TestClock } from './app';
import type { FreshDatabases } from './databases';

export type EventType = 'payment_intent.succeeded' | 'payment_intent.payment_failed' | 'charge.refunded';
export interface SignedEvent {
  payload: string;
  header: string;
}

/** What the shared contract needs from each adapter's test set-up. */
export interface PaymentsHarness {
  name: string;
  webhookSecret: string;
  clock: Clock;
  start(): Promise<void>;
  stop(): Promise<void>;
  adapter(): PaymentsPort;
  /** The customer completes the payment with a card that succeeds or is declined. */
  customerPays(intentId: string, outcome: 'succeeds' | 'declined'): Promise<void>;
  /** The signed webhook the provider sends for the latest such outcome of this intent. */
  webhookFor(intentId: string, type: EventType): Promise<SignedEvent>;
  checkoutUrl(intentId: string): string | null;
}

/** Stands in for our webhook endpoint: verifies each delivery with the adapter, as the route will. */
export class DeliveryRecorder {
  readonly received: (SignedEvent & { event: PaymentEvent })[] = [];
  failuresLeft = 0;
  receiver: PaymentsPort | undefined;

  readonly deliver = async (rawBody: Buffer, signature: string): Promise<void> => {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error('webhook endpoint answered 503');
    }
    if (!this.receiver) throw new Error('no receiver');
    const event = this.receiver.parseWebhook(rawBody, signature);
    this.received.push({ payload: rawBody.toString(), header: signature, event });
  };

  last(intentId: string, type: EventType): SignedEvent & { event: PaymentEvent } {
    const found = this.received
      .filter((r) => r.event.paymentIntentId === intentId && r.event.type === type)
      .at(-1);
    if (!found) throw new Error(`no ${type} delivered for ${intentId}`);
    return found;
  }
}

/** Creates the simulated provider's tables unless the registered migrations already did. */
export async function ensureSimulatedTables(db: Kysely<BookingDatabase>): Promise<void> {
  const tables = await db.introspection.getTables();
  if (!tables.some((t) => t.name === 'simulated_payment_intents')) await simulatedPayments.up(db);
}

export const TEST_PUBLIC_URL = 'http://localhost:5173';
export const TEST_WEBHOOK_SECRET = 'whsec_simulated_test';

export function simulatedHarness(databases: () => FreshDatabases): PaymentsHarness & {
  payments(): SimulatedPayments;
  recorder: DeliveryRecorder;
  testClock: TestClock;
} {
  const recorder = new DeliveryRecorder();
  const testClock = new TestClock();
  let payments: SimulatedPayments | undefined;
  const get = () => {
    if (!payments) throw new Error('harness not started');
    return payments;
  };
  return {
    name: 'simulated',
    webhookSecret: TEST_WEBHOOK_SECRET,
    clock: testClock,
    testClock,
    recorder,
    async start() {
      const db = databases().dbs.bookings.db;
      await ensureSimulatedTables(db);
      payments = new SimulatedPayments({
        db,
        webhookSecret: TEST_WEBHOOK_SECRET,
        publicUrl: TEST_PUBLIC_URL,
        deliver: recorder.deliver,
        clock: testClock,
      });
      recorder.receiver = payments;
    },
    async stop() {},
    adapter: get,
    payments: get,
    async customerPays(intentId, outcome) {
      await get().pay(intentId, outcome === 'succeeds' ? '4242424242424242' : '4000000000000002');
    },
    async webhookFor(intentId, type) {
      return recorder.last(intentId, type);
    },
    checkoutUrl: (intentId) => `${TEST_PUBLIC_URL}/checkout/${intentId}`,
  };
}

export function stripeHarness(): PaymentsHarness & {
  server(): FakeStripeServer;
  payments(): StripePayments;
} {
  let fake: FakeStripeServer | undefined;
  let payments: StripePayments | undefined;
  const server = () => {
    if (!fake) throw new Error('harness not started');
    return fake;
  };
  const get = () => {
    if (!payments) throw new Error('harness not started');
    return payments;
  };
  return {
    name: 'stripe',
    webhookSecret: 'whsec_fake_carebook',
    clock: systemClock,
    async start() {
      fake = await FakeStripeServer.start('sk_test_fake_carebook', 'whsec_fake_carebook');
      payments = new StripePayments({
        secretKey: fake.secretKey,
        webhookSecret: fake.webhookSecret,
        host: '127.0.0.1',
        port: fake.port,
        protocol: 'http',
      });
    },
    async stop() {
      await fake?.stop();
    },
    adapter: get,
    payments: get,
    server,
    async customerPays(intentId, outcome) {
      if (outcome === 'succeeds') server().succeed(intentId);
      else server().decline(intentId, 'generic_decline');
    },
    async webhookFor(intentId, type) {
      return server().eventFor(intentId, type);
    },
    checkoutUrl: () => null,
  };
}
