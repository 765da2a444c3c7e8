import { expect, expectAccessible, screenshots, signIn, test } from './fixtures';

// Pages the journeys do not reach, checked with axe at phone width too.
for (const width of [1280, 375]) {
  test(`public pages are accessible at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    for (const [path, heading] of [
      ['/', 'Book care near you'],
      ['/sign-in', 'Welcome back'],
      ['/register', 'Join Carebook'],
      ['/book', 'Choose a time first'],
      ['/no-such-page', 'Page not found'],
      // A mistyped or stale provider link: said in words, with the way back to the search.
      ['/providers/not-a-provider', 'Provider not found'],
      ['/providers/00000000-0000-7000-8000-000000000000', 'Provider not found'],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole('heading', { name: heading })).toBeVisible();
      await expectAccessible(page, `${path} at ${width}`);
      if (width === 1280 && path === '/') await screenshots(page, 'home');
    }
    await page.goto('/search');
    await expect(page.locator('#results-title')).toContainText(/results/);
    if (width === 375) {
      // On a phone the filters open above the results; "Show N results" closes them and goes there.
      await page.getByRole('button', { name: 'Filters' }).click();
      const filters = page.getByRole('complementary', { name: 'Filters' });
      await filters.getByRole('checkbox', { name: /Accepting new patients/ }).check();
      await expect(page.getByRole('button', { name: 'Filters (1)' })).toBeVisible();
      await filters.getByRole('button', { name: /^Show [\d,]+ results?$/ }).click();
      await expect(filters).toBeHidden();
      await expect(page.locator('#results-title')).toBeFocused();
      await page.getByRole('button', { name: 'Filters (1)' }).click();
      await filters.getByRole('button', { name: /^Clear all/ }).click();
      await page.getByRole('button', { name: 'Filters', exact: true }).click();
    }
    await page.getByRole('button', { name: 'Map' }).click();
    await expect(page.getByRole('region', { name: /Map of the results/ })).toBeVisible();
    // Tiles cannot load here (no internet); the list stays complete and usable.
    await expect(page.getByRole('list', { name: 'Search results' }).getByRole('listitem')).toHaveCount(10);
    await expectAccessible(page, `/search map at ${width}`);
    // The header stays in view on a wide screen; on a phone its wrapped navigation scrolls away.
    await page.getByRole('button', { name: 'List' }).click();
    await page.mouse.wheel(0, 1200);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(400);
    const header = await page.locator('.site-header').evaluate((el) => el.getBoundingClientRect().toJSON());
    if (width === 375) expect(header.bottom).toBeLessThanOrEqual(0);
    else expect(header.top).toBe(0);
  });
}

test('a signed-in patient sees an empty bookings page, and sign-out ends the session', async ({ page }) => {
  await signIn(page, 'patient@carebook.test', 'carebook-patient-demo');
  await expect(page.getByRole('heading', { name: 'My bookings' })).toBeVisible();
  // A reload resumes the session from the rotating refresh token (the access token is in memory only).
  await page.reload();
  await expect(page.getByRole('heading', { name: 'My bookings' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expectAccessible(page, 'my bookings (demo patient)');
  await page.getByRole('button', { name: 'Past' }).click();
  await expect(page.getByRole('heading', { name: 'No past appointments' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await page.goto('/bookings');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fbookings/);
});

test('keyboard only: search, open a profile, choose a slot; focus is always visible', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab'); // skip link first
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  const box = page.getByRole('combobox');
  await box.focus();
  await page.keyboard.type('physio');
  await expect(page.getByRole('option').first()).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(box).toHaveAttribute('aria-activedescendant', /.+/);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');
  const firstResult = page.getByRole('list', { name: 'Search results' }).getByRole('link').first();
  await firstResult.focus();
  const outline = await firstResult.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe('none');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/providers\//);
  const slot = page.locator('button.slot').first();
  await slot.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/book$/);
  await expect(page.getByLabel('What would you like help with?')).toBeVisible();
});
