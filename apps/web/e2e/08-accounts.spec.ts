import type { Page } from '@playwright/test';
import { expect, expectAccessible, registerVerified, screenshots, signIn, test, unique } from './fixtures';

/** The links to the listings on the dashboard (not the "New listing" button). */
const listingLinks = (p: Page) =>
  p.getByRole('region', { name: 'Your listings' }).getByRole('listitem').getByRole('link');

/** Opens the newest message to `to` in the dev mailbox page and follows its link of that kind. */
async function followMailedLink(page: Page, to: string, subject: string, kind: string) {
  await page.goto('/dev/mailbox');
  await page.getByRole('row').filter({ hasText: to }).getByRole('link', { name: subject }).first().click();
  const text = (await page.locator('pre').first().textContent()) ?? '';
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

  // Signing in before confirming: not yet; the link is sent again, and can be asked for once more.
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const notice = page.getByRole('region', { name: 'Confirm your e-mail address' });
  await expect(notice.getByRole('status')).toContainText('we have sent you a new link');
  await expectAccessible(page, 'unconfirmed sign-in');
  await notice.getByRole('button', { name: 'Send the link again' }).click();
  await expect(notice.getByRole('status')).toContainText('Confirm your e-mail address to sign in');
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);

  await followMailedLink(page, email, 'Confirm your e-mail address for Carebook', 'verify-email');
  await expect(page.getByText(`${email} is confirmed`)).toBeVisible();
  await expectAccessible(page, 'e-mail confirmed');
  await screenshots(page, 'verify-email');
  // Now the same password signs in.
  await signIn(page, email, 'a-long-password-1');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Confirm your e-mail address' })).toHaveCount(0);
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

test('a provider invites a staff member, who joins and works on the practice dashboard', async ({ page }) => {
  const email = `staff-${unique()}@example.org`;
  await signIn(page, 'provider@carebook.test', 'carebook-provider-demo');
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  const panel = page.getByRole('region', { name: 'Staff' });
  await panel.getByLabel('Invite by e-mail').fill(email);
  await panel.getByRole('button', { name: 'Send invitation' }).click();
  await expect(panel.getByRole('status')).toContainText(`Invitation sent to ${email}`);
  await expect(panel.getByRole('list', { name: 'Open invitations' })).toContainText(email);
  await expectAccessible(page, 'dashboard staff panel');
  await expect(listingLinks(page).first()).toBeVisible();
  const ownerListings = await listingLinks(page).allInnerTexts();
  await page.getByRole('button', { name: 'Sign out' }).click();

  // The invitee opens the link from the e-mail and creates a staff account.
  await followMailedLink(
    page,
    email,
    'Dr. Paula Provider invites you to Carebook as staff',
    'accept-invitation',
  );
  await expect(page.getByRole('heading', { name: 'Join a practice on Carebook' })).toBeVisible();
  await expectAccessible(page, 'accept invitation');
  await screenshots(page, 'accept-invitation');
  await page.getByLabel('Your name').fill('Sam Staff');
  await page.getByLabel(/^Choose a password/).fill('a-staff-password-1');
  await page.getByRole('button', { name: 'Create account and join' }).click();
  await expect(page.getByRole('status')).toContainText('Welcome to the team');
  await page.getByRole('link', { name: 'Sign in' }).last().click();
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('a-staff-password-1');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();

  // Staff see the provider's dashboard and listings, and can open one to work on it.
  await expect(page).toHaveURL(/\/provider$/);
  await expect(page.getByText('Sam Staff')).toBeVisible();
  await expect(listingLinks(page).first()).toBeVisible();
  expect(await listingLinks(page).allInnerTexts()).toEqual(ownerListings);
  await expect(page.getByRole('region', { name: 'Staff' })).toHaveCount(0);
  await listingLinks(page).first().click();
  await expect(page).toHaveURL(/\/provider\/listings\/[0-9a-f-]+/);
  await expectAccessible(page, 'staff editing a listing');
});
