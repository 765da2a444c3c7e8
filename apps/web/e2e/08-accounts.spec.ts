import type { Page } from '@playwright/test';
import { expect, expectAccessible, registerVerified, screenshots, signIn, test, unique } from './fixtures';

/** Opens the newest message to `to` in the dev mailbox page and follows its link of that kind. */
async function followMailedLink(page: Page, to: string, subject: string, kind: string) {
  await page.goto('/dev/mailbox');
  await page.getByRole('row').filter({ hasText: to }).getByRole('link', { name: subject }).first().click();
  const text = await page.locator('pre').first().innerText();
  const path = new RegExp(`/${kind}#token=[A-Za-z0-9_-]+`).exec(text)?.[0];
  expect(path, `a ${kind} link in the e-mail`).toBeTruthy();
  await page.goto(path ?? '/');
  return path ?? '';
}

test('a new patient confirms their e-mail address from the dev mailbox', async ({ page }) => {
  const email = `verify-${unique()}@example.org`;
  await page.goto('/register');
  await page.getByLabel('Your name').fill('Vera Verify');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('a-long-password-1');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Check your e-mail' })).toBeVisible();
  await expectAccessible(page, 'sign-up sent');

  // Signed in before confirming: booking waits, and a banner says so with a resend.
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const banner = page.getByRole('region', { name: 'Confirm your e-mail address' });
  await expect(banner).toBeVisible();
  await expectAccessible(page, 'unconfirmed banner');
  await banner.getByRole('button', { name: 'Send the link again' }).click();
  await expect(banner.getByRole('status')).toHaveText('We have sent you a new link.');

  await followMailedLink(page, email, 'Confirm your e-mail address for Carebook', 'verify-email');
  await expect(page.getByText(`${email} is confirmed`)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Confirm your e-mail address' })).toHaveCount(0);
  await expectAccessible(page, 'e-mail confirmed');
  await screenshots(page, 'verify-email');
});

test('a patient resets a forgotten password through the e-mailed link, once', async ({ page, request }) => {
  const email = `reset-${unique()}@example.org`;
  await registerVerified(request, { email, password: 'the-old-password-1', displayName: 'Rita Reset' });

  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
  await expectAccessible(page, 'forgot password');
  await page.getByLabel('E-mail').fill(email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('status')).toContainText('Check your e-mail');

  const link = await followMailedLink(page, email, 'Reset your Carebook password', 'reset-password');
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await expectAccessible(page, 'reset password');
  await screenshots(page, 'reset-password');
  await page.getByLabel(/^New password/).fill('the-new-password-2');
  await page.getByLabel('Repeat the new password').fill('the-new-password-2');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password has been changed');
  await page.getByRole('link', { name: 'Sign in' }).last().click();

  // The old password is gone; the new one works.
  await signIn(page, email, 'the-old-password-1');
  await expect(page.getByRole('alert')).toContainText('not correct');
  await signIn(page, email, 'the-new-password-2');
  await expect(page).toHaveURL(/\/bookings/);

  // The link worked once.
  await page.goto(link);
  await page.getByLabel(/^New password/).fill('a-third-password-3');
  await page.getByLabel('Repeat the new password').fill('a-third-password-3');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByRole('alert')).toContainText('expired or was already used');
  await expect(page.getByRole('link', { name: 'Ask for a new link' })).toBeVisible();
});
