import { expect, test } from '@playwright/test';
import { FakeStripeServer } from '../../../tools/stand-ins/fake-stripe-server';
import { expectAccessible, registerVerified, screenshots, unique } from './fixtures';
import { startApiServer } from './global-setup';

/**
 * Paying with Stripe in the browser. js.stripe.com and api.stripe.com cannot be reached from here,
 * so the page gets a stand-in for Stripe.js's browser API (the calls Carebook makes: elements,
 * create('payment'), mount, confirmPayment), and requests to api.stripe.com are answered by the
 * fake Stripe API (Stripe's wire format), which then posts the signed webhook to the API — the
 * path a real payment takes. The API runs with PAYMENTS=stripe on its own fresh database.
 */
const STAND_IN_STRIPE_JS = `
window.Stripe = function (key) {
  return {
    elements: function (options) {
      return {
        clientSecret: options.clientSecret,
        create: function () {
          return {
            mount: function (target) {
              target.innerHTML = '<label class="field">Card number <input name="cardnumber" autocomplete="cc-number" inputmode="numeric"></label>';
            },
            destroy: function () {},
          };
        },
      };
    },
    confirmPayment: async function (options) {
      var secret = options.elements.clientSecret;
      var number = document.querySelector('input[name=cardnumber]').value.replace(/\\s/g, '');
      var body = new URLSearchParams({
        key: key,
        client_secret: secret,
        'payment_method_data[type]': 'card',
        'payment_method_data[card][number]': number,
        return_url: options.confirmParams.return_url,
      });
      var res = await fetch('https://api.stripe.com/v1/payment_intents/' + secret.split('_secret_')[0] + '/confirm', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: body,
      });
      var json = await res.json();
      return res.ok ? { paymentIntent: json } : { error: json.error };
    },
  };
};`;

let api: { url: string; stop: () => Promise<void> };
let stripe: FakeStripeServer;

test.beforeAll(async () => {
  stripe = await FakeStripeServer.start();
  api = await startApiServer({
    DEMO_LISTINGS: '40',
    PAYMENTS: 'stripe',
    STRIPE_SECRET_KEY: stripe.secretKey,
    STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
    STRIPE_PUBLISHABLE_KEY: stripe.publishableKey,
    STRIPE_API_URL: `http://127.0.0.1:${stripe.port}`,
  });
  stripe.webhookUrl = `${api.url}/api/v1/payments/webhook`;
});
test.afterAll(async () => {
  await api?.stop();
  await stripe?.stop();
});

/** A paid service's slot a few days ahead, booked through the API by a new patient. */
async function bookPaidSlot(request: import('@playwright/test').APIRequestContext) {
  const email = `stripe-${unique()}@example.org`;
  const password = 'a-long-password-1';
  const token = (await registerVerified(request, { email, password, displayName: 'Sam Stripe' }, api.url))
    .tokens.accessToken;
  const search = await (await request.get(`${api.url}/api/v1/search?size=20`)).json();
  const from = new Date(Date.now() + 3 * 86_400_000);
  const to = new Date(from.getTime() + 7 * 86_400_000);
  for (const hit of search.results as { id: string }[]) {
    const listing = await (await request.get(`${api.url}/api/v1/providers/${hit.id}`)).json();
    const service = (listing.services as { id: string; priceCents: number }[]).find((s) => s.priceCents > 0);
    if (!service) continue;
    const days = await (
      await request.get(
        `${api.url}/api/v1/providers/${hit.id}/availability?serviceId=${service.id}&from=${from.toISOString()}&to=${to.toISOString()}`,
      )
    ).json();
    const start = days.days?.flatMap((d: { slots: { start: string }[] }) => d.slots)[0]?.start;
    if (!start) continue;
    const res = await request.post(`${api.url}/api/v1/bookings`, {
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': `stripe-${unique()}` },
      data: {
        providerId: hit.id,
        serviceId: service.id,
        start,
        reasonForVisit: 'Annual skin check',
        newPatient: true,
      },
    });
    expect(res.status(), await res.text()).toBe(201);
    return { booking: await res.json(), email, password };
  }
  throw new Error('no paid service with a free slot in the demo data');
}

test('patient pays with Stripe: a declined card, then a good one, and the booking confirms live', async ({
  page,
  request,
}) => {
  const { booking, email, password } = await bookPaidSlot(request);
  expect(booking.status).toBe('payment_pending');
  await page.route('https://js.stripe.com/**', (route) =>
    route.fulfill({ contentType: 'application/javascript', body: STAND_IN_STRIPE_JS }),
  );
  await page.route('https://api.stripe.com/**', async (route) => {
    const url = new URL(route.request().url());
    const response = await route.fetch({
      url: `http://127.0.0.1:${stripe.port}${url.pathname}${url.search}`,
    });
    await route.fulfill({ response, headers: { ...response.headers(), 'access-control-allow-origin': '*' } });
  });

  await page.goto(`${api.url}/sign-in`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('link', { name: 'My bookings' })).toBeVisible();

  await page.goto(`${api.url}/bookings/${booking.id}`);
  await page.getByRole('link', { name: 'Pay now' }).click();
  await expect(page.getByRole('heading', { name: 'Pay for your booking' })).toBeVisible();
  const card = page.getByLabel('Card number');
  await expect(card).toBeVisible();
  await expectAccessible(page, 'stripe checkout');

  await card.fill('4000 0000 0000 0002');
  await page.getByRole('button', { name: /^Pay / }).click();
  await expect(page.getByRole('alert')).toContainText(
    'Your bank declined the card. Try another card, or call the number on the back of your card',
  );

  await card.fill('4242 4242 4242 4242');
  await page.getByRole('button', { name: /^Pay / }).click();
  await expect(page).toHaveURL(new RegExp(`/bookings/${booking.id}`));
  // Stripe's webhook reaches the API, which confirms the booking; the page follows it live.
  await expect(page.getByRole('heading', { name: 'Your booking is confirmed' })).toBeVisible({
    timeout: 30_000,
  });
  await screenshots(page, 'stripe-confirmation');
  expect(stripe.intent(booking.payment.intentId)?.status).toBe('succeeded');
});
