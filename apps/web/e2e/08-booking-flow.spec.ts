import type { APIRequestContext, Page } from '@playwright/test';
import { expect, expectAccessible, registerVerified, screenshots, signIn, test, unique } from './fixtures';

/**
 * The booking flow as a patient in New York expects it from a clinic elsewhere: a free service
 * books without any word of paying, confirms at once and sends one e-mail; a reschedule asks first
 * (old time → new time, zones labelled), says it is done, and the old booking says where it went.
 * (A reload of a filtered search and an open profile losing a slot another browser books are in
 * 06-search-everyday.spec.ts.)
 */
test.use({ timezoneId: 'America/New_York' });

/** A listing open to new patients with a free service that has open slots next week. */
async function freeService(api: APIRequestContext) {
  for (let page = 1; page <= 8; page++) {
    const search = await (
      await api.get('/api/v1/search', {
        params: { acceptingNewPatients: 'true', size: '50', page: String(page) },
      })
    ).json();
    for (const hit of search.results as { id: string }[]) {
      const listing = await (await api.get(`/api/v1/providers/${hit.id}`)).json();
      const service = (
        listing.services as { id: string; name: string; priceCents: number; active: boolean }[]
      ).find((s) => s.active && s.priceCents === 0);
      if (!service) continue;
      const from = new Date(Date.now() + 7 * 86_400_000);
      const days = await (
        await api.get(`/api/v1/providers/${hit.id}/availability`, {
          params: {
            serviceId: service.id,
            from: from.toISOString(),
            to: new Date(from.getTime() + 7 * 86_400_000).toISOString(),
          },
        })
      ).json();
      const slots = (days.days as { slots: { start: string }[] }[]).flatMap((d) => d.slots);
      if (slots.length >= 3)
        return { id: hit.id as string, service: service.name, timeZone: listing.timeZone as string };
    }
  }
  throw new Error('no demo listing has a free service with open slots next week');
}

/** The subjects of the dev mailbox's messages to one address, newest first. */
async function mailTo(page: Page, email: string): Promise<string[]> {
  await page.goto('/dev/mailbox');
  return page.locator('tbody tr').filter({ hasText: email }).locator('td:nth-child(3)').allTextContents();
}

const NO_PAYMENT_WORDS = /\b(pay|paid|paying|payment|checkout|card)\b/i;

test('a free booking: no payment step or wording, confirmed at once, one e-mail; then a reschedule with confirmation', async ({
  page,
  request,
  context,
}) => {
  const email = `free-${unique()}@example.org`;
  const password = 'a-long-password-1';
  await registerVerified(request, { email, password, displayName: 'Nora Newyork' });
  const listing = await freeService(request);

  await signIn(page, email, password);
  await expect(page.getByRole('link', { name: 'My bookings' }).first()).toBeVisible();
  await page.goto(`/providers/${listing.id}`);
  await page.locator('.service-option').filter({ hasText: listing.service }).locator('input').check();
  await page.getByRole('button', { name: 'Next week ›' }).click();
  await page.locator('button.slot').first().click();

  // Reason for visit; going back for another time keeps what was typed.
  await expect(page.getByRole('heading', { name: 'Book your appointment' })).toBeVisible();
  await expect(page).toHaveTitle('Book an appointment · Carebook');
  await page.getByLabel('What would you like help with?').fill('A yearly check-up, nothing urgent.');
  await page.getByRole('link', { name: 'Change time or service' }).click();
  await page.locator('.service-option').filter({ hasText: listing.service }).locator('input').check();
  await page.getByRole('button', { name: 'Next week ›' }).click();
  await page.locator('button.slot').nth(1).click();
  await expect(page.getByLabel('What would you like help with?')).toHaveValue(
    'A yearly check-up, nothing urgent.',
  );
  const flow = page.locator('main');
  await expect(flow).toContainText(`(${listing.timeZone.replace(/_/g, ' ')}`);
  await page.getByRole('button', { name: 'Continue' }).click();

  // Confirm: three steps, no payment, no word of paying.
  await expect(page.getByRole('heading', { name: 'Confirm your booking' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Booking steps' }).getByRole('listitem')).toHaveText([
    /Reason for visit/,
    /Your account/,
    /Confirm/,
  ]);
  await expect(flow).not.toContainText(NO_PAYMENT_WORDS, { useInnerText: true });
  await expectAccessible(page, 'free booking: confirm');
  await screenshots(page, 'free-booking-confirm');
  await page.getByRole('button', { name: 'Confirm booking' }).click();

  await expect(page).toHaveURL(/\/bookings\/[0-9a-f-]+\?new=1/);
  await expect(page.getByRole('heading', { name: 'Your booking is confirmed' })).toBeVisible();
  await expect(page.getByTestId('booking-status')).toHaveText('Confirmed');
  await expect(page.getByRole('list').filter({ hasText: 'your appointment was confirmed' })).toBeVisible();
  await expect(flow).not.toContainText(NO_PAYMENT_WORDS, { useInnerText: true });
  await expect(page).toHaveTitle(new RegExp(`^${listing.service} with .+ · Carebook$`));
  await expectAccessible(page, 'free booking: confirmed');
  await screenshots(page, 'free-booking-confirmed');
  const firstUrl = page.url().replace('?new=1', '');

  // One e-mail: "Booking confirmed", not also "Booking requested". The notifier handles a booking's
  // events in order, so once the confirmation is in, a "requested" mail would be too.
  const mailbox = await context.newPage();
  // (The address was confirmed through the dev mailbox first: that mail is not about the booking.)
  const bookingMail = async () =>
    (await mailTo(mailbox, email)).filter((s) => !s.startsWith('Confirm your e-mail address'));
  await expect.poll(bookingMail).toEqual([expect.stringMatching(/^Booking confirmed: /)]);

  // Reschedule: pick a time, see old → new with zones, confirm.
  await page.getByRole('button', { name: 'Reschedule' }).click();
  const picker = page.getByRole('region', { name: 'Pick a new time' });
  await picker.getByRole('button', { name: 'Next week ›' }).click();
  await picker.locator('button.slot').nth(2).click();
  const ask = picker.getByRole('alertdialog', { name: 'Move your appointment?' });
  // Each end labelled with its zone and the zone's short name at that time: "GMT+1" for most zones,
  // "EST"/"CDT" for North American ones (the demo listing picked can be anywhere).
  const zoned = String.raw`\(.+, (GMT([+-]\d{1,2}(:\d\d)?)?|UTC|[A-Z]{2,5})\)`;
  await expect(ask).toContainText(new RegExp(`From.+${zoned}.*To.+${zoned}`, 's'));
  // Nothing has moved yet.
  expect(page.url().replace('?new=1', '')).toBe(firstUrl);
  await expectAccessible(page, 'reschedule: confirm');
  await screenshots(page, 'reschedule-confirm');
  await ask.getByRole('button', { name: 'Yes, move it' }).click();

  await expect(page.getByRole('heading', { name: 'Your appointment has moved' })).toBeVisible();
  await expect(page.getByTestId('booking-status')).toHaveText('Confirmed');
  await expect(page.getByTestId('moved-from')).toContainText(/Moved here from .+\(/);
  await screenshots(page, 'reschedule-done');
  const newUrl = page.url().replace('?moved=1', '');

  // The old booking says where it went, with a link to the new one.
  await page.goto(firstUrl);
  await expect(page.getByRole('heading', { name: 'This appointment was moved' })).toBeVisible();
  await expect(page.getByTestId('moved-to')).toContainText(/Moved to .+\(.+\)\./);
  await expect(
    page.getByRole('list').filter({ hasText: 'moved your appointment to a new time' }),
  ).toBeVisible();
  await page.getByRole('link', { name: 'See the new booking' }).click();
  await expect(page).toHaveURL(newUrl);

  // Cancelling a free booking: nothing to refund, said before and after.
  await page.getByRole('button', { name: 'Cancel booking' }).click();
  await expect(page.getByTestId('refund-before')).toHaveText(/free: nothing was charged/);
  await page.getByRole('button', { name: 'Yes, cancel it' }).click();
  await expect(page.getByTestId('refund-outcome')).toHaveText(
    'Nothing was charged for this free appointment.',
  );

  // My bookings and notifications: times labelled with their zone, the moved booking marked.
  await page.getByRole('link', { name: 'My bookings' }).first().click();
  const rows = page.getByRole('list', { name: 'upcoming bookings' }).getByRole('listitem');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'Moved to a new time' })).toHaveCount(1);
  await expect(rows.first()).toContainText(`(${listing.timeZone.replace(/_/g, ' ')}`);
  await expectAccessible(page, 'my bookings');
  await screenshots(page, 'my-bookings-moved');
  await page.getByRole('link', { name: /Notifications/ }).click();
  const notes = page.getByRole('list', { name: 'Notifications' }).getByRole('listitem');
  await expect(notes.first()).toContainText('Booking cancelled');
  await expect(notes.first()).toContainText('your time (America/New York)');
  await expectAccessible(page, 'notifications');
  await screenshots(page, 'notifications');

  // The mailbox: confirmed, the move once ("New time confirmed"), the cancellation.
  await expect
    .poll(bookingMail)
    .toEqual([
      expect.stringMatching(/^Booking cancelled: /),
      expect.stringMatching(/^New time confirmed: /),
      expect.stringMatching(/^Booking confirmed: /),
    ]);
});
