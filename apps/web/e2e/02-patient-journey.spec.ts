import { expect, expectAccessible, mailedLink, screenshots, test, unique } from './fixtures';

test('patient: search with a typo, filter, profile, book, pay, watch it confirm live, cancel', async ({
  page,
}) => {
  await page.goto('/');
  await expectAccessible(page, 'home');

  // Search with a typo; suggestions appear as you type.
  const box = page.getByRole('combobox');
  await box.fill('dermatolgy');
  await expect(page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option').first()).toBeVisible();
  await box.press('Escape');
  await expect(box).toHaveValue('dermatolgy');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/search\?q=dermatolgy/);
  const heading = page.locator('#results-title');
  await expect(heading).toContainText(/\d+ results? for “dermatolgy”/);
  const results = page.getByRole('list', { name: 'Search results' }).getByRole('listitem');
  await expect(results.first()).toContainText(/Dermatology/i);
  const before = await heading.textContent();

  // Filter by a facet; counts and results update.
  // Facets are counted with every other filter applied, so the count beside "In person" is the
  // total once it is ticked.
  const option = page.getByRole('group', { name: 'Visit type' }).locator('label', { hasText: 'In person' });
  const expected = (await option.locator('.facet-count').textContent())?.trim() ?? '';
  expect(before).not.toBeNull();
  await option.getByRole('checkbox').check();
  await expect(heading).toContainText(new RegExp(`^${expected} results?`));
  await expect(page.getByRole('button', { name: /Clear all \(1\)/ })).toBeVisible();
  await expect(results.first()).toBeVisible();
  await expectAccessible(page, 'search results');
  await screenshots(page, 'search-results');

  // Profile.
  await results
    .first()
    .getByRole('link', { name: /View .* and book/ })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('group', { name: /Available times/ })).toBeVisible();
  await expectAccessible(page, 'profile');
  await screenshots(page, 'profile');

  // A paid service, a slot next week (outside the 24 h cancellation window).
  const paid = page.locator('.service-option').filter({ hasNotText: 'Free' }).first();
  await paid.locator('input').check();
  await page.getByRole('button', { name: 'Next week ›' }).click();
  const slot = page.locator('button.slot').first();
  await expect(slot).toBeVisible();
  await slot.click();

  // Reason for visit, inline validation first.
  await expect(page.getByRole('heading', { name: 'Book your appointment' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText(/at least 3 characters/)).toBeVisible();
  await page.getByLabel('What would you like help with?').fill('A mole on my shoulder has changed colour.');
  await page.getByRole('button', { name: 'Continue' }).click();

  // Register inline.
  const email = `pat-${unique()}@example.org`;
  await page.getByRole('button', { name: "I'm new here" }).click();
  await page.getByLabel('Your name').fill('Pat Example');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('a-long-password-1');
  await expectAccessible(page, 'booking: account step');
  await page.getByRole('button', { name: 'Create account' }).click();
  // Confirm the address from the e-mail in another tab, then sign in where the booking waits.
  await expect(page.getByRole('status').filter({ hasText: 'Check your e-mail' })).toBeVisible();
  const mailTab = await page.context().newPage();
  await mailTab.goto(await mailedLink(page.request, email, 'verify-email'));
  await expect(mailTab.getByText(`${email} is confirmed`)).toBeVisible();
  await mailTab.close();
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();

  // Review and pay.
  await expect(page.getByRole('heading', { name: 'Review and confirm' })).toBeVisible();
  await expectAccessible(page, 'booking: review');
  await page.getByRole('button', { name: 'Confirm and pay' }).click();
  await expect(page.getByRole('heading', { name: 'Payment' })).toBeVisible();
  await expectAccessible(page, 'checkout');
  await page.getByLabel('Card number').fill('4000 0000 0000 0002');
  await page.getByRole('button', { name: /^Pay / }).click();
  await expect(page.getByRole('alert')).toContainText('Your bank declined the card. Try another card');
  await expect(page.getByRole('alert')).toContainText('You have not been charged; your time is held until');
  await screenshots(page, 'checkout-declined');
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await page.getByRole('button', { name: /^Pay / }).click();

  // The confirmation turns "confirmed" when the payment webhook lands, pushed over the WebSocket.
  await expect(page).toHaveURL(/\/bookings\/[0-9a-f-]+\?new=1/);
  await expect(page.getByTestId('booking-status')).toHaveText('Confirmed');
  await expect(page.getByRole('heading', { name: 'Your booking is confirmed' })).toBeVisible();
  await expect(page.getByText('Live updates on')).toBeVisible();
  await expectAccessible(page, 'booking confirmation');
  await screenshots(page, 'booking-confirmation');

  // .ics download.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Add to calendar (.ics)' }).click();
  expect((await download).suggestedFilename()).toMatch(/^carebook-\d{4}-\d{2}-\d{2}\.ics$/);

  // Reschedule within policy: a new booking carries the payment, the old one links to it.
  const firstUrl = page.url();
  await page.getByRole('button', { name: 'Reschedule' }).click();
  const picker = page.getByRole('region', { name: 'Pick a new time' });
  await picker.getByRole('button', { name: 'Next week ›' }).click();
  await picker.locator('button.slot').nth(1).click();
  await picker.getByRole('button', { name: 'Yes, move it' }).click();
  await expect(page).not.toHaveURL(firstUrl);
  await expect(page.getByRole('heading', { name: 'Your appointment has moved' })).toBeVisible();
  await expect(page.getByTestId('booking-status')).toHaveText('Confirmed');
  await page.goto(firstUrl.replace('?new=1', ''));
  await expect(page.getByTestId('booking-status')).toHaveText('Cancelled');
  await expect(page.getByTestId('moved-to')).toContainText(/Moved to .+ \(.+\)\./);

  // My bookings lists the new one as upcoming.
  await page.getByRole('link', { name: 'My bookings' }).first().click();
  const upcoming = page.getByRole('list', { name: 'upcoming bookings' }).getByRole('listitem');
  await expect(upcoming).toHaveCount(2);
  await expect(upcoming.filter({ hasText: 'Cancelled' })).toHaveCount(1);
  await expectAccessible(page, 'my bookings');
  await upcoming.filter({ hasText: 'Confirmed' }).getByRole('link').click();

  // Cancel within policy.
  await page.getByRole('button', { name: 'Cancel booking' }).click();
  await expect(page.getByTestId('refund-before')).toContainText(
    /^You will get .+ back in full, to the card you paid with\./,
  );
  await page.getByRole('button', { name: 'Yes, cancel it' }).click();
  await expect(page.getByTestId('booking-status')).toHaveText('Cancelled');
  await expect(page.getByTestId('refund-outcome')).toContainText(/refund.+ in full|full refund/);
  await screenshots(page, 'cancelled-refund');
  await expect(page.getByRole('heading', { name: 'This booking was cancelled' })).toBeVisible();

  // Notifications arrived for it.
  await page.getByRole('link', { name: /Notifications/ }).click();
  await expect(page.getByRole('list', { name: 'Notifications' }).getByRole('listitem').first()).toBeVisible();
  await expectAccessible(page, 'notifications');

  // Account: sessions and password form.
  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page.getByText('This device')).toBeVisible();
  await expectAccessible(page, 'account');
});
