import { test as base, expect, expectAccessible, registerVerified, signIn, unique } from './fixtures';
import { type ApiServer, startApiServer } from './global-setup';

/**
 * A review needs a completed visit. Rather than wait for one, this journey runs its own API server
 * on a test clock (embedded profile only), books the first free slot of a demo listing, and moves
 * the server's clock past the visit's end: the lifecycle job starts and completes it.
 */
const test = base.extend<object, { api: ApiServer }>({
  api: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixture signature
    async ({}, use) => {
      const api = await startApiServer({ DEMO_LISTINGS: '20' }, { testClock: true });
      await use(api);
      await api.stop();
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ api }, use) => use(api.url),
});

test.use({ timezoneId: 'UTC' });

test('patient: review a completed visit, see it on the profile', async ({ page, request, api }) => {
  const email = `reviewer-${unique()}@example.org`;
  const password = 'a-long-password-1';
  const registered = await registerVerified(request, {
    email,
    password,
    displayName: 'Grace Brewster Hopper',
  });
  const auth = { authorization: `Bearer ${registered.tokens.accessToken}` };

  // The first bookable slot of a demo listing.
  const search = await (await request.get('/api/v1/search', { params: { size: '20' } })).json();
  let booking: {
    id: string;
    status: string;
    end: string;
    payment: { intentId: string; clientSecret: string } | null;
  } | null = null;
  let listingId = '';
  for (const hit of search.results as { id: string }[]) {
    const listing = await (await request.get(`/api/v1/providers/${hit.id}`)).json();
    const service = listing.services[0];
    if (!service) continue;
    const slots = await (
      await request.get(`/api/v1/providers/${hit.id}/availability`, {
        params: {
          serviceId: service.id,
          from: new Date().toISOString(),
          to: new Date(Date.now() + 14 * 86_400_000).toISOString(),
        },
      })
    ).json();
    const first = slots.days.flatMap((d: { slots: { start: string }[] }) => d.slots)[0];
    if (!first) continue;
    const res = await request.post('/api/v1/bookings', {
      headers: { ...auth, 'idempotency-key': unique() },
      data: {
        providerId: hit.id,
        serviceId: service.id,
        start: first.start,
        reasonForVisit: 'Annual check',
        newPatient: true,
      },
    });
    expect(res.status(), await res.text()).toBe(201);
    booking = await res.json();
    listingId = hit.id;
    break;
  }
  if (!booking) throw new Error('no demo listing has a free slot in the next two weeks');
  if (booking.payment) {
    const paid = await request.post(`/api/v1/payments/simulated/intents/${booking.payment.intentId}/pay`, {
      data: { clientSecret: booking.payment.clientSecret, cardNumber: '4242424242424242' },
    });
    expect(paid.status(), await paid.text()).toBeLessThan(300);
  }
  const bookingId = booking.id;
  const statusNow = async () =>
    (await (await request.get(`/api/v1/bookings/${bookingId}`, { headers: auth })).json()).status as string;
  await expect.poll(statusNow, { timeout: 20_000 }).toBe('confirmed');

  // Past the end of the visit: the lifecycle job (every 2 s) starts and completes it.
  const after = new Date(new Date(booking.end).getTime() + 60_000);
  api.moveClockTo(after);
  await page.clock.install({ time: after });
  // The access token was issued before the jump; sign in again to read the booking.
  const relog = await request.post('/api/v1/auth/login', { data: { email, password } });
  Object.assign(auth, { authorization: `Bearer ${(await relog.json()).tokens.accessToken as string}` });
  await expect.poll(statusNow, { timeout: 20_000 }).toBe('completed');

  await signIn(page, email, password);
  await expect(page.getByRole('link', { name: 'My bookings' }).first()).toBeVisible();
  await page.goto(`/bookings/${bookingId}`);
  await expect(page.getByRole('heading', { name: 'Review this visit' })).toBeVisible();
  await expectAccessible(page, 'review form');
  await page.getByLabel('4 stars').check();
  await page.getByLabel('Your review').fill('Unhurried and clear. The front desk was lovely.');
  await page.getByRole('button', { name: 'Publish review' }).click();
  await expect(page.getByText('Thank you: your review is published as “Grace H.”.')).toBeVisible();

  // Back on the booking later: the review is shown, not the form again.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Your review' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Publish review' })).toHaveCount(0);

  await page.goto(`/providers/${listingId}`);
  const reviews = page.getByRole('region', { name: 'Reviews' });
  await expect(reviews.getByTestId('review-summary')).toContainText('4.0 out of 5');
  await expect(reviews).toContainText('Unhurried and clear. The front desk was lovely.');
  await expect(reviews).toContainText('Grace H.');
  await expect(reviews).not.toContainText('Hopper');
  await expectAccessible(page, 'profile with a review');
});
