import { expect, expectAccessible, screenshots, signIn, test } from './fixtures';

test("admin: the operator's view shows this instance's health, outbox, consumers, cache, jobs and breakers", async ({
  page,
}) => {
  await signIn(page, 'admin@carebook.test', 'carebook-admin-demo');
  await expect(page.getByRole('heading', { name: 'Administration' })).toBeVisible();
  await page.getByRole('link', { name: 'Operations' }).click();
  await expect(page.getByRole('heading', { name: /^Instance / })).toBeVisible();
  for (const table of [
    'Dependencies',
    'Outbox',
    'Event consumers',
    'Cache',
    'Scheduled jobs',
    'Circuit breakers',
  ])
    await expect(page.getByRole('table', { name: table })).toBeVisible();
  const deps = page.getByRole('table', { name: 'Dependencies' });
  await expect(deps.getByRole('row', { name: /database:bookings/ })).toContainText('Up');
  await expect(
    page.getByRole('table', { name: 'Outbox' }).getByRole('rowheader', { name: 'bookings' }),
  ).toBeVisible();
  await expectAccessible(page, 'admin operations');
  await screenshots(page, 'admin-operations');
});
