import { expect, expectAccessible, signIn, test } from './fixtures';

// A slot aggregator reads the SMART Scheduling Links feed and sends a patient to a free slot's
// booking deep link; the page offers that slot and leads into the booking flow.
test('a booking deep link from $bulk-publish opens a page that offers that slot', async ({
  page,
  request,
}) => {
  const manifest = await (await request.get('/fhir/$bulk-publish?source=e2e-finder')).json();
  let link: string | undefined;
  for (const output of manifest.output.filter((o: { type: string }) => o.type === 'Slot')) {
    const body = await (await request.get(output.url)).text();
    const free = body
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .find((slot) => slot.status === 'free');
    link = free?.extension?.[0]?.valueUrl;
    if (link) break;
  }
  expect(link).toBeTruthy();
  const url = new URL(link as string);
  expect(url.searchParams.get('source')).toBe('e2e-finder');
  await page.goto(`${url.pathname}${url.search}`);
  await expect(page.getByRole('heading', { name: 'Book this time' })).toBeVisible();
  await expect(page.getByText('Found through e2e-finder.')).toBeVisible();
  await expectAccessible(page, 'booking deep link');
  await page.getByRole('button', { name: 'Continue to book' }).click();
  await expect(page).toHaveURL(/\/book$/);
  await expect(page.getByLabel('What would you like help with?')).toBeVisible();
});

test('a patient creates and replaces a private calendar link on the Account page', async ({ page }) => {
  await signIn(page, 'patient@carebook.test', 'carebook-patient-demo');
  await expect(page.getByRole('heading', { name: 'My bookings' })).toBeVisible();
  await page.goto('/account');
  await page.getByRole('button', { name: 'Create calendar link' }).click();
  const field = page.getByLabel('Calendar link');
  await expect(field).toHaveValue(/^webcal:\/\/.+\/api\/v1\/calendar\/[A-Za-z0-9_-]+\.ics$/);
  const first = await field.inputValue();
  const feed = await page.request.get(first.replace(/^webcal:/, 'http:'));
  expect(feed.status()).toBe(200);
  expect(await feed.text()).toContain('BEGIN:VCALENDAR');
  await expectAccessible(page, 'account with calendar link');
  await page.getByRole('button', { name: 'Get a new link' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'New link ready' })).toHaveText(
    'New link ready. The old link no longer works.',
  );
  await expect(field).not.toHaveValue(first);
  expect((await page.request.get(first.replace(/^webcal:/, 'http:'))).status()).toBe(404);
});
