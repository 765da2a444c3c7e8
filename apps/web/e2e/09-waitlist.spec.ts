import { test as base, expect, expectAccessible, registerVerified, signIn, unique } from './fixtures';
import { type ApiServer, startApiServer } from './global-setup';

/**
 * Patient A joins the waitlist for a day patient B has fully booked; B cancels one visit; A sees
 * the offer arrive live (WebSocket) on the waitlist page and accepts it. Own API server, so the
 * day's bookings do not disturb other journeys.
 */
const test = base.extend<object, { api: ApiServer }>({
  api: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixture signature
    async ({}, use) => {
      const api = await startApiServer({ DEMO_LISTINGS: '10' });
      await use(api);
      await api.stop();
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ api }, use) => use(api.url),
});

test('patient: join a waitlist, receive an offer live, accept it', async ({ page, request }) => {
  const password = 'a-long-password-1';
  const register = async (name: string) => {
    const email = `${name.split(' ')[0]?.toLowerCase()}-${unique()}@example.org`;
    const registered = await registerVerified(request, { email, password, displayName: name });
    return { email, auth: { authorization: `Bearer ${registered.tokens.accessToken}` } };
  };
  const a = await register('Ada Waiting');
  const b = await register('Bo Busy');

  // A demo listing with a day that has free slots tomorrow or later; B books every one of them.
  const search = await (await request.get('/api/v1/search', { params: { size: '10' } })).json();
  let chosen: {
    listingId: string;
    name: string;
    serviceId: string;
    date: string;
    bookings: string[];
  } | null = null;
  for (const hit of search.results as { id: string }[]) {
    const listing = await (await request.get(`/api/v1/providers/${hit.id}`)).json();
    const service = listing.services.find((s: { active: boolean }) => s.active);
    if (!service) continue;
    const from = new Date(Date.now() + 86_400_000).toISOString();
    const slots = await (
      await request.get(`/api/v1/providers/${hit.id}/availability`, {
        params: {
          serviceId: service.id,
          from,
          to: new Date(Date.now() + 8 * 86_400_000).toISOString(),
          tz: listing.timeZone,
        },
      })
    ).json();
    // The range's first and last days are cut at `from` and `to`: hours outside it are left out
    // of the answer and would stay free, and the waitlist would offer one of them at once. Only
    // whole days are candidates.
    const days = slots.days as { date: string; slots: { start: string }[] }[];
    const partial = new Set([days[0]?.date, days.at(-1)?.date]);
    const day = days.find((d) => !partial.has(d.date) && d.slots.length > 0 && d.slots.length <= 40);
    if (!day) continue;
    const bookings: string[] = [];
    for (const slot of day.slots) {
      const res = await request.post('/api/v1/bookings', {
        headers: { ...b.auth, 'idempotency-key': unique() },
        data: {
          providerId: hit.id,
          serviceId: service.id,
          start: slot.start,
          reasonForVisit: 'Check',
          newPatient: true,
        },
      });
      // Slots may overlap (a step shorter than the visit): a booked one takes its neighbours.
      if (res.status() === 201) bookings.push((await res.json()).id);
      else expect(res.status(), await res.text()).toBe(409);
    }
    chosen = { listingId: hit.id, name: listing.name, serviceId: service.id, date: day.date, bookings };
    break;
  }
  if (!chosen || chosen.bookings.length === 0) throw new Error('no demo listing with a bookable day');

  // A joins from the profile, for that day only.
  await signIn(page, a.email, password);
  await expect(page.getByRole('link', { name: 'My bookings' }).first()).toBeVisible();
  await page.goto(`/providers/${chosen.listingId}`);
  await page.getByLabel('From', { exact: true }).fill(chosen.date);
  await page.getByLabel('To', { exact: true }).fill(chosen.date);
  await expectAccessible(page, 'profile with the waitlist form');
  await page.getByRole('button', { name: 'Join the waitlist' }).click();
  await expect(page.getByText('You are on the waitlist.')).toBeVisible();
  await page.getByRole('link', { name: 'your waitlist' }).click();
  await expect(page.getByText('Waiting for a time')).toBeVisible();

  // B drops one of the day's visits: A's page shows the offer without a reload.
  const freed = chosen.bookings[Math.floor(chosen.bookings.length / 2)] as string;
  const cancelled = await request.post(`/api/v1/bookings/${freed}/cancel`, { headers: b.auth, data: {} });
  expect(cancelled.status(), await cancelled.text()).toBe(200);
  const offer = page.getByRole('region', { name: `Offer at ${chosen.name}` });
  await expect(offer).toBeVisible({ timeout: 20_000 });
  await expect(offer).toContainText('min left');
  await expectAccessible(page, 'waitlist with an offer');
  await offer.getByRole('button', { name: 'Accept this time' }).click();
  await expect(page.getByText('Booked')).toBeVisible();
});
