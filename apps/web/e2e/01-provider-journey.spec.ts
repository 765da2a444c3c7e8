import sharp from 'sharp';
import {
  test as base,
  expect,
  expectAccessible,
  registerVerified,
  screenshots,
  signIn,
  unique,
} from './fixtures';
import { type ApiServer, startApiServer } from './global-setup';

/**
 * This journey needs its appointment to start. Rather than wait for it, it runs against its own
 * API server on a test clock (embedded profile only) and moves that clock, and the page's, to just
 * after the start; the other journeys keep the shared server on the system clock.
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

const pad = (n: number) => String(n).padStart(2, '0');

test('provider: create listing, hours, photo, see a booking arrive live, mark it completed', async ({
  page,
  request,
  api,
}) => {
  // The page's clock runs normally until the appointment is due, then jumps with the server's.
  await page.clock.install();
  await signIn(page, 'provider@carebook.test', 'carebook-provider-demo');
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expectAccessible(page, 'provider dashboard');

  // Create a listing (inline validation first).
  await page.getByRole('link', { name: 'New listing' }).click();
  await page.getByRole('button', { name: 'Create listing' }).click();
  await expect(page.getByText('Choose at least one specialty.')).toBeVisible();
  const name = `Harbour Skin Clinic ${unique()}`;
  await page.getByLabel('Name patients will see').fill(name);
  await page.getByLabel('Kind').selectOption('clinic');
  await page.getByLabel('Filter specialties').fill('dermat');
  await page.getByRole('checkbox', { name: 'Dermatology', exact: true }).check();
  await page.getByLabel('Street address').fill('12 Quay Street');
  await page.getByLabel('City', { exact: true }).fill('Bristol');
  await page.getByLabel('Postcode').fill('BS1 4DB');
  await page.getByLabel('Country code').fill('GB');
  await page.getByLabel('Latitude').fill('51.4545');
  await page.getByLabel('Longitude').fill('-2.5879');
  await expectAccessible(page, 'new listing form');
  await page.getByRole('button', { name: 'Create listing' }).click();

  // Services: a free 5-minute check confirms without payment.
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Services' })).toHaveAttribute('aria-selected', 'true');
  await page.getByLabel('Service name').fill('Quick skin check');
  await page.getByLabel('Duration (minutes)').fill('5');
  await page.getByLabel('Price').fill('0');
  await page.getByRole('button', { name: 'Add service' }).click();
  await expect(page.getByText('Quick skin check')).toBeVisible();
  await expectAccessible(page, 'services editor');

  // Hours: the standard week, plus an override for today opening at the next 5-minute boundary at
  // least two minutes away (bookings start on 5-minute units): far enough ahead to book it first.
  await page.getByRole('tab', { name: 'Hours' }).click();
  await expect(page.getByRole('heading', { name: 'Opening hours' })).toBeVisible();
  await page.getByLabel('Slot every (minutes)').fill('5');
  await page.getByLabel('Minimum notice (minutes)').fill('0');
  await page.getByLabel('Free cancellation until (hours before)').fill('0');
  const opens = new Date(Math.ceil((Date.now() + 120_000) / 300_000) * 300_000);
  await page.getByRole('button', { name: 'Add a date override' }).click();
  await page.getByLabel('Override 1 date').fill(opens.toISOString().slice(0, 10));
  await page.getByRole('button', { name: 'Add opening hours on override 1' }).click();
  await page
    .getByLabel('override 1 opening 1 from')
    .fill(`${pad(opens.getUTCHours())}:${pad(opens.getUTCMinutes())}`);
  await page.getByLabel('override 1 opening 1 until').fill('23:59');
  await expectAccessible(page, 'hours editor');
  await page.getByRole('button', { name: 'Save hours' }).click();
  await expect(page.getByText('Hours saved.')).toBeVisible();
  await screenshots(page, 'hours-editor');

  // Publish.
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.locator('.editor-head .badge')).toHaveText('Published');
  const listingId = page.url().match(/listings\/([0-9a-f-]+)/)?.[1] ?? '';

  // Dashboard, then a patient books through the API; the booking appears without a reload.
  await page.getByRole('link', { name: 'Dashboard' }).first().click();
  await expect(page.getByText('Live updates on')).toBeVisible();
  const walkIn = await registerVerified(request, {
    email: `walk-in-${unique()}@example.org`,
    password: 'a-long-password-1',
    displayName: 'Riley Walk-in',
  });
  const token = walkIn.tokens.accessToken;
  const listing = await (await request.get(`/api/v1/providers/${listingId}`)).json();
  const serviceId = listing.services[0].id as string;
  const slots = await (
    await request.get(`/api/v1/providers/${listingId}/availability`, {
      params: {
        serviceId,
        from: new Date().toISOString(),
        to: new Date(Date.now() + 86_400_000).toISOString(),
      },
    })
  ).json();
  const first = slots.days.flatMap((d: { slots: { start: string }[] }) => d.slots)[0];
  expect(first, 'a slot opens shortly').toBeTruthy();
  const booked = await request.post('/api/v1/bookings', {
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': unique() },
    data: {
      providerId: listingId,
      serviceId,
      start: first.start,
      reasonForVisit: 'Rash on my arm',
      newPatient: true,
    },
  });
  expect(booked.status(), await booked.text()).toBe(201);
  const row = page.getByTestId('dashboard-booking').filter({ hasText: 'Rash on my arm' });
  await expect(row).toBeVisible();
  await expect(row).toContainText('Confirmed');
  await expectAccessible(page, 'dashboard with a booking');
  await screenshots(page, 'provider-dashboard');

  // While the appointment is still ahead: a photo upload with progress and preview.
  await page.goto(`/provider/listings/${listingId}?tab=photos`);
  await page.getByRole('tab', { name: 'Photos' }).click();
  const png = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#3a9fb5' } })
    .png()
    .toBuffer();
  await page
    .getByLabel('Choose a photo')
    .setInputFiles({ name: 'front-desk.png', mimeType: 'image/png', buffer: png });
  await expect(page.getByRole('img', { name: 'Chosen file, not yet uploaded' })).toBeVisible();
  await page.getByRole('button', { name: 'Upload photo' }).click();
  await expect(page.getByText('Photo uploaded.')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Current photos' }).getByRole('img')).toHaveCount(1);
  await expectAccessible(page, 'photos editor');

  // A version conflict: the listing changes elsewhere while the form is open.
  await page.getByRole('tab', { name: 'Details' }).click();
  await page.getByLabel('About').fill('Skin checks by the harbour, same-day appointments.');
  const providerLogin = await request.post('/api/v1/auth/login', {
    data: { email: 'provider@carebook.test', password: 'carebook-provider-demo' },
  });
  const providerToken = (await providerLogin.json()).tokens.accessToken as string;
  const current = await request.get(`/api/v1/providers/${listingId}`, {
    headers: { authorization: `Bearer ${providerToken}` },
  });
  const body = await current.json();
  const input = Object.fromEntries(
    [
      'name',
      'kind',
      'specialties',
      'conditions',
      'languages',
      'insurance',
      'gender',
      'visitTypes',
      'acceptingNewPatients',
      'bio',
      'address',
      'location',
      'timeZone',
    ].map((k) => [k, body[k]]),
  );
  const elsewhere = await request.put(`/api/v1/providers/${listingId}`, {
    headers: { authorization: `Bearer ${providerToken}`, 'if-match': current.headers().etag ?? '' },
    data: { ...input, conditions: ['eczema'] },
  });
  expect(elsewhere.status(), await elsewhere.text()).toBe(200);
  await page.getByRole('button', { name: 'Save details' }).click();
  await expect(page.getByRole('heading', { name: 'Changed elsewhere — review' })).toBeVisible();
  await expectAccessible(page, 'version conflict');
  await page.getByRole('button', { name: 'Keep my changes' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();

  // Back on the dashboard, the appointment is due: the server's clock and the page's move to just
  // after its start; the lifecycle job moves it to "in progress" (pushed live); mark it completed.
  await page.getByRole('link', { name: 'Dashboard' }).first().click();
  await expect(row).toContainText('Confirmed');
  const justStarted = new Date(new Date(first.start).getTime() + 5_000);
  api.moveClockTo(justStarted);
  await page.clock.setSystemTime(justStarted);
  await expect(row).toContainText('In progress');
  await expect(row.getByRole('button', { name: 'Mark completed' })).toBeVisible();
  await row.getByRole('button', { name: 'Mark completed' }).click();
  // It stays in view under "Done today", marked completed, with nothing left to act on.
  const done = page.getByRole('region', { name: /Done today/ }).getByTestId('dashboard-booking');
  await expect(done.filter({ hasText: 'Rash on my arm' })).toContainText('Completed');
  await expect(row.getByRole('button', { name: 'Mark completed' })).toHaveCount(0);
  const after = await request.get(`/api/v1/bookings/${(await booked.json()).id}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect((await after.json()).status).toBe('completed');
});
