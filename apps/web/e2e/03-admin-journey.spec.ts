import { expect, expectAccessible, screenshots, signIn, test, unique } from './fixtures';

test('admin: verify a provider, suspend and reinstate a user, read the audit log', async ({
  page,
  request,
}) => {
  const providerEmail = `new-provider-${unique()}@example.org`;
  const patientEmail = `patient-${unique()}@example.org`;
  for (const [email, role, displayName] of [
    [providerEmail, 'provider', 'Dr Nia Newcomer'],
    [patientEmail, 'patient', 'Sam Suspendable'],
  ] as const) {
    const res = await request.post('/api/v1/auth/register', {
      data: { email, password: 'a-long-password-1', displayName, role },
    });
    expect(res.status()).toBe(202);
  }

  await signIn(page, 'admin@carebook.test', 'carebook-admin-demo');
  await expect(page.getByRole('heading', { name: 'Administration' })).toBeVisible();
  await expect(page.getByRole('table')).toBeVisible();
  await expectAccessible(page, 'admin users');

  // Verify the new provider.
  await page.getByLabel('Name or e-mail').fill(providerEmail);
  await page.getByRole('button', { name: 'Search' }).click();
  const providerRow = page.getByRole('row').filter({ hasText: providerEmail });
  await expect(providerRow).toContainText('Unverified');
  await providerRow.getByRole('button', { name: 'Verify Dr Nia Newcomer' }).click();
  await expect(providerRow).toContainText('Verified');
  await expect(providerRow).not.toContainText('Unverified');

  // Suspend the patient with a reason, then reinstate.
  await page.getByLabel('Name or e-mail').fill(patientEmail);
  await page.getByRole('button', { name: 'Search' }).click();
  const patientRow = page.getByRole('row').filter({ hasText: patientEmail });
  await patientRow.getByRole('button', { name: 'Suspend Sam Suspendable' }).click();
  await patientRow.getByLabel('Reason').fill('Repeated no-shows');
  await patientRow.getByRole('button', { name: 'Suspend', exact: true }).click();
  await expect(patientRow).toContainText('Suspended');
  const login = await request.post('/api/v1/auth/login', {
    data: { email: patientEmail, password: 'a-long-password-1' },
  });
  expect(login.status()).toBe(403);
  await patientRow.getByRole('button', { name: 'Reinstate Sam Suspendable' }).click();
  await patientRow.getByLabel('Reason').fill('Spoke with the patient');
  await patientRow.getByRole('button', { name: 'Reinstate', exact: true }).click();
  await expect(patientRow).toContainText('Active');
  await screenshots(page, 'admin-users');

  // Listings moderation view.
  await page.getByRole('link', { name: 'Listings' }).click();
  await expect(page.getByRole('heading', { name: 'Listings', level: 2 })).toBeVisible();
  await expect(page.getByRole('row').nth(1)).toBeVisible();
  await expectAccessible(page, 'admin listings');

  // The audit log shows what just happened, filtered by action.
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByLabel('Action').fill('admin.provider_verified');
  await page.getByRole('button', { name: 'Filter' }).click();
  const rows = page.locator('tbody tr');
  await expect(rows.first()).toContainText('admin.provider_verified');
  await expect(page.locator('tbody tr').filter({ hasNotText: 'admin.provider_verified' })).toHaveCount(0);
  await expectAccessible(page, 'audit log');

  // The tamper-evident chain verifies, and "who looked at Sam's data" lists the admin by name.
  await page.getByRole('button', { name: 'Verify the audit chain' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Intact:' })).toBeVisible();
  await page.getByLabel('Action').fill('access.users_listed');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByRole('button', { name: 'Sam Suspendable' }).first().click();
  await expect(rows.first()).toContainText('Viewed in the user list');
  await expect(page.locator('tbody tr').filter({ hasNotText: 'Sam Suspendable' })).toHaveCount(0);
});
