import { expect, expectAccessible, registerVerified, screenshots, test, unique } from './fixtures';

const results = (page: import('@playwright/test').Page) =>
  page.getByRole('list', { name: 'Search results' }).getByRole('listitem');

test('a search typed the everyday way: a place after "in", a postcode, "near me" allowed and refused', async ({
  page,
  browser,
  baseURL,
}) => {
  await page.goto('/');
  const box = page.locator('input[type="search"]');
  await box.fill('I need a dentist in new york');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/search\?q=/);
  expect(new URL(page.url()).searchParams.get('q')).toBe('I need a dentist in new york');
  await expect(page.getByTestId('interpreted')).toHaveText('Dentists near New York');
  await expect(page).toHaveTitle('I need a dentist in new york – Find care · Carebook');
  await expect(results(page).first()).toBeVisible();
  for (const card of await results(page).all()) {
    await expect(card).toContainText('New York');
    await expect(card).toContainText(/(Not a|A)ccepting new patients/);
  }
  await expectAccessible(page, 'everyday search');
  await screenshots(page, 'search-everyday');

  // A ZIP code is a place too.
  await box.fill('dentist 10001');
  await box.press('Enter');
  await expect(page.getByTestId('interpreted')).toHaveText('Dentists near New York');

  // "near me" with the browser's location: distances in miles for an en-US reader.
  const located = await browser.newContext({
    baseURL,
    locale: 'en-US',
    geolocation: { latitude: 40.7128, longitude: -74.006 },
    permissions: ['geolocation'],
  });
  const near = await located.newPage();
  await near.goto('/search?q=dentist+near+me');
  await expect(near.getByTestId('interpreted')).toHaveText('Dentists near your location');
  await expect(near).toHaveURL(/sort=distance/);
  await expect(results(near).first()).toContainText(/\d+\.\d mi away/);
  await located.close();

  // Refused: the page says why the results are not by distance and what to type instead.
  const refusing = await browser.newContext({ baseURL, permissions: [] });
  const refused = await refusing.newPage();
  await refused.goto('/search?q=dentist+near+me');
  await expect(refused.getByRole('status').filter({ hasText: 'could not use your location' })).toBeVisible();
  await expectAccessible(refused, 'near me refused');
  await screenshots(refused, 'search-near-me-refused');
  await refusing.close();
});

test('a reload of a filtered search keeps its filters, sort and page; back undoes the last change', async ({
  page,
}) => {
  await page.goto('/search');
  await expect(results(page).first()).toBeVisible();
  await page.getByRole('checkbox', { name: /Accepting new patients/ }).check();
  await expect(page).toHaveURL(/new=1/);
  await page.getByRole('group', { name: 'Visit type' }).getByRole('checkbox').first().check();
  await expect(page).toHaveURL(/visitType=/);
  await page.getByLabel('Sort').selectOption('soonest');
  await expect(page).toHaveURL(/sort=soonest/);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page).toHaveURL(/page=2/);
  const filtered = page.url();

  await page.reload();
  await expect(page).toHaveURL(filtered);
  await expect(page.getByRole('checkbox', { name: /Accepting new patients/ })).toBeChecked();
  await expect(page.getByRole('group', { name: 'Visit type' }).getByRole('checkbox').first()).toBeChecked();
  await expect(page.getByLabel('Sort')).toHaveValue('soonest');
  await expect(page.getByText(/Page 2 of/)).toBeVisible();
  for (const card of await results(page).all()) await expect(card).toContainText('Accepting new patients');

  await page.goBack();
  await expect(page).not.toHaveURL(/page=2/);
  await expect(page.getByLabel('Sort')).toHaveValue('soonest');
  await page.goForward();
  await expect(page.getByText(/Page 2 of/)).toBeVisible();
  await expectAccessible(page, 'filtered search after reload');
});

test("an anonymous visitor's open profile loses a slot that another browser books", async ({
  page,
  browser,
  baseURL,
}) => {
  // Another browser: a new patient who will book through the API.
  const other = await browser.newContext({ baseURL });
  const api = other.request;
  const token = (
    await registerVerified(api, {
      email: `live-${unique()}@example.org`,
      password: 'a-long-password-1',
      displayName: 'Lee Live',
    })
  ).tokens.accessToken;

  // A listing accepting new patients with an open slot this week.
  const search = await (await api.get('/api/v1/search?acceptingNewPatients=true&size=20&q=dentist')).json();
  let target: { id: string; serviceId: string; start: string } | null = null;
  for (const hit of search.results as { id: string }[]) {
    const listing = await (await api.get(`/api/v1/providers/${hit.id}`)).json();
    const service = (listing.services as { id: string; active: boolean }[]).find((s) => s.active);
    if (!service) continue;
    const from = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 60_000);
    const to = new Date(from.getTime() + 7 * 86_400_000);
    const days = await (
      await api.get(
        `/api/v1/providers/${hit.id}/availability?serviceId=${service.id}&from=${from.toISOString()}&to=${to.toISOString()}`,
      )
    ).json();
    const start = (days.days as { slots: { start: string }[] }[])
      .flatMap((d) => d.slots)
      .map((s) => s.start)
      .find((s) => Date.parse(s) % 300_000 === 0);
    if (start) {
      target = { id: hit.id, serviceId: service.id, start };
      break;
    }
  }
  if (!target) throw new Error('no listing with an open slot in the demo data');

  await page.goto(`/providers/${target.id}`);
  const firstSlot = page.locator('button.slot').first();
  await expect(firstSlot).toBeVisible();
  const label = (await firstSlot.getAttribute('aria-label')) as string;
  await expect(page.getByText('Have you been seen here before?')).toBeVisible();
  await expectAccessible(page, 'profile (anonymous)');
  await screenshots(page, 'profile-live');

  const booked = await api.post('/api/v1/bookings', {
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': `live-${unique()}` },
    data: {
      providerId: target.id,
      serviceId: target.serviceId,
      start: target.start,
      reasonForVisit: 'Check-up',
      newPatient: true,
    },
  });
  expect(booked.status(), await booked.text()).toBe(201);
  // No reload: the public availability stream tells the open page.
  await expect(page.getByRole('button', { name: label, exact: true })).toHaveCount(0);
  await other.close();
});
