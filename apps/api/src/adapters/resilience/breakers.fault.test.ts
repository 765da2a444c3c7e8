import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '../../../test/support/fault-proxy';
import { Surroundings, until } from '../../../test/support/processes';
import { S3BlobStore } from '../blob-store/s3';
import { SmtpMailer } from '../mailer/smtp';
import { StripePayments } from '../payments/stripe';
import { type BreakerOptions, DependencyBreaker, DependencyUnavailableError } from './breaker';
import { GuardedBlobStore } from './guarded-blob-store';
import { GuardedMailer } from './guarded-mailer';
import { GuardedPayments } from './guarded-payments';

/**
 * Each guarded dependency behind a TCP proxy that hangs or resets, in front of its real stand-in
 * (fake Stripe API, smtp-server, s3rver). Bounded latency is shown by outcomes, never timings: a
 * hung call ends as a `timeout` (the breaker's deadline, not the client's own minute-long one),
 * then calls are refused as `open` without reaching the dependency, and a probe after the
 * half-open delay closes the circuit again once the dependency answers.
 */
const OPTIONS: BreakerOptions = { timeoutMs: 2000, failureThreshold: 2, halfOpenAfterMs: 300 };

async function failure(call: Promise<unknown>): Promise<DependencyUnavailableError> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DependencyUnavailableError);
  return err as DependencyUnavailableError;
}

function faultScenarios(
  name: string,
  setup: () => Promise<{ proxy: FaultProxy; breaker: DependencyBreaker; call: () => Promise<unknown> }>,
) {
  describe(`${name} behind a faulty network`, () => {
    let ctx: Awaited<ReturnType<typeof setup>>;
    beforeAll(async () => {
      ctx = await setup();
    });
    afterAll(async () => {
      await ctx?.proxy.stop();
    });

    const recover = async () => {
      ctx.proxy.setMode('pass');
      await until(`${name} to recover`, async () => {
        await ctx.call();
        return true;
      });
      expect(ctx.breaker.state).toBe('closed');
    };

    it('works through the proxy', async () => {
      await ctx.call();
      expect(ctx.breaker.state).toBe('closed');
    });

    it('hung: each call ends at the breaker timeout, then the circuit opens and refuses at once', async () => {
      ctx.proxy.setMode('hang');
      for (let i = 0; i < OPTIONS.failureThreshold; i++) {
        expect((await failure(ctx.call())).reason).toBe('timeout');
      }
      expect(ctx.breaker.state).toBe('open');
      const accepted = ctx.proxy.accepted;
      const refused = await failure(ctx.call());
      expect(refused.reason).toBe('open');
      expect(refused.code).toBe('SERVICE_UNAVAILABLE');
      expect(refused.extras.retryAfterSeconds).toBe(1);
      // Refused without opening a connection to the dependency.
      expect(ctx.proxy.accepted).toBe(accepted);
      expect(ctx.breaker.snapshot().rejected).toBeGreaterThanOrEqual(1);
    });

    it('recovers through a half-open probe once the dependency answers again', recover);

    it('reset: connection resets open the circuit too, and it recovers', async () => {
      ctx.proxy.setMode('reset');
      for (let i = 0; i < OPTIONS.failureThreshold; i++) {
        expect(['failed', 'timeout']).toContain((await failure(ctx.call())).reason);
      }
      expect(ctx.breaker.state).toBe('open');
      expect((await failure(ctx.call())).reason).toBe('open');
      await recover();
    });
  });
}

let surroundings: Surroundings;
beforeAll(async () => {
  surroundings = await Surroundings.start();
});
afterAll(async () => {
  await surroundings?.stop();
});

faultScenarios('Stripe', async () => {
  const stripe = surroundings.stripe;
  const proxy = await FaultProxy.start({ port: stripe.port });
  const breaker = new DependencyBreaker('payments', OPTIONS);
  const payments = new GuardedPayments(
    new StripePayments({
      secretKey: stripe.secretKey,
      webhookSecret: stripe.webhookSecret,
      host: '127.0.0.1',
      port: proxy.port,
      protocol: 'http',
    }),
    breaker,
  );
  let n = 0;
  const call = () =>
    payments.createIntent({
      bookingId: `b-${++n}`,
      amountCents: 5000,
      currency: 'USD',
      description: 'fault test',
      idempotencyKey: `fault-${Date.now()}-${n}`,
    });
  return { proxy, breaker, call };
});

faultScenarios('SMTP', async () => {
  const port = Number(new URL(surroundings.smtp.url).port);
  const proxy = await FaultProxy.start({ port });
  const breaker = new DependencyBreaker('mail', OPTIONS);
  const mailer = new GuardedMailer(
    new SmtpMailer({ url: `smtp://127.0.0.1:${proxy.port}`, from: 'Carebook <no-reply@carebook.test>' }),
    breaker,
  );
  let n = 0;
  const call = () =>
    mailer.send({ to: 'pat@example.test', subject: 'fault test', text: 'hello', idempotencyKey: `m-${++n}` });
  return { proxy, breaker, call };
});

faultScenarios('S3', async () => {
  const port = Number(new URL(surroundings.s3.endpoint).port);
  const proxy = await FaultProxy.start({ port });
  const breaker = new DependencyBreaker('blob-store', OPTIONS);
  const blobs = new GuardedBlobStore(
    new S3BlobStore({
      bucket: surroundings.s3.bucket,
      region: 'us-east-1',
      forcePathStyle: true,
      endpoint: `http://127.0.0.1:${proxy.port}`,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    }),
    breaker,
  );
  let n = 0;
  const call = async () => {
    const key = `fault/object-${++n}.txt`;
    await blobs.put(key, Buffer.from('hello'), { contentType: 'text/plain', visibility: 'private' });
    expect((await blobs.get(key))?.body.toString()).toBe('hello');
  };
  return { proxy, breaker, call };
});
