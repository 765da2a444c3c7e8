import type { APIRequestContext } from '@playwright/test';
import { expect, expectAccessible, registerVerified, screenshots, signIn, test, unique } from './fixtures';

const DAY = 86_400_000;
const WEEK = 7 * DAY;

/**
 * A demo practitioner (they take weekly series online) with a free service and a time that is
 * free on the same weekday three weeks running.
 */
async function weeklyTime(api: APIRequestContext) {
  for (let page = 1; page <= 8; page++) {
    const search = await (
      await api.get('/api/v1/search', {
        params: { acceptingNewPatients: 'true', size: '50', page: String(page) },
      })
    ).json();
    for (const hit of search.results as { id: string }[]) {
      const listing = await (await api.get(`/api/v1/providers/${hit.id}`)).json();
      if (!listing.allowsRecurring) continue;
      const service = (
        listing.services as { id: string; name: string; priceCents: number; active: boolean }[]
      ).find((s) => s.active && s.priceCents === 0);
      if (!service) continue;
      const from = new Date(Date.now() + 7 * DAY);
      const days = await (
        await api.get(`/api/v1/providers/${hit.id}/availability`, {
          params: {
            serviceId: service.id,
            from: from.toISOString(),
            to: new Date(from.getTime() + 21 * DAY).toISOString(),
          },
        })
      ).json();
      const starts = new Set(
        (days.days as { slots: { start: string }[] }[]).flatMap((d) =>
          d.slots.map((s) => new Date(s.start).toISOString()),
        ),
      );
      // The UTC instant may move by an hour across a DST change; the server keeps the local time,
      // so only weeks without a change are used here (the API test covers DST).
      const start = [...starts].find(
        (s) =>
          starts.has(new Date(Date.parse(s) + WEEK).toISOString()) &&
          starts.has(new Date(Date.parse(s) + 2 * WEEK).toISOString()),
      );
      if (start) return { id: hit.id as string, serviceId: service.id, service: service.name, start };
    }
  }
  throw new Error('no demo practitioner has a free service open three weeks running');
}

test('a patient books a weekly series of three visits, sees every date and can add them to a calendar', async ({
  page,
  request,
}) => {
  const email = `series-${unique()}@example.org`;
  const password = 'a-long-password-1';
  await registerVerified(request, { email, password, displayName: 'Wes Weekly' });
  const slot = await weeklyTime(request);

  await signIn(page, email, password);
  await expect(page.getByRole('link', { name: 'My bookings' }).first()).toBeVisible();
  await page.goto(
    `/book/slot?provider=${slot.id}&service=${slot.serviceId}&start=${encodeURIComponent(slot.start)}`,
  );
  await page.getByRole('button', { name: 'Continue to book' }).click();
  await page
    .getByLabel('What would you like help with?')
    .fill('Weekly physiotherapy after a knee operation.');
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page.getByRole('heading', { name: 'Confirm your booking' })).toBeVisible();
  await page.getByRole('radio', { name: 'Repeat at the same time' }).check();
  const count = page.getByLabel('Number of visits');
  await count.fill('3');
  await expect(page.getByRole('list', { name: /3 visits at/ }).getByRole('listitem')).toHaveCount(3);
  await expectAccessible(page, 'series: repeat choice');
  await screenshots(page, 'series-repeat');
  await page.getByRole('button', { name: 'Book 3 visits' }).click();

  await expect(page).toHaveURL(/\/series\/[0-9a-f-]+\?new=1/);
  await expect(page.getByText('Your 3 visits are booked.')).toBeVisible();
  await expect(page.getByText(/Every week, 3 visits, at/)).toBeVisible();
  const visits = page.locator('.series-item');
  await expect(visits).toHaveCount(3);
  await expect(visits.filter({ hasText: 'Confirmed' })).toHaveCount(3);
  await expect(page.getByRole('button', { name: 'Add all visits to my calendar (.ics)' })).toBeVisible();
  await expectAccessible(page, 'series page');
  await screenshots(page, 'series-page');

  // Cancelling "this and later visits" from the second asks first, then keeps the first visit.
  await visits.nth(1).getByRole('button', { name: 'Cancel this and later visits' }).click();
  await page
    .getByRole('group', { name: 'Cancel from visit 2' })
    .getByRole('button', { name: 'Yes, cancel' })
    .click();
  await expect(visits.filter({ hasText: 'Cancelled' })).toHaveCount(2);
  await expect(visits.filter({ hasText: 'Confirmed' })).toHaveCount(1);
});
