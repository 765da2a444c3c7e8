import { readFileSync } from 'node:fs';
import { expect, expectAccessible, registerVerified, signIn, test, unique } from './fixtures';

test('patient: download my data, then delete my account and no longer sign in', async ({ page, request }) => {
  const email = `leaving-${unique()}@example.org`;
  const password = 'a-long-password-1';
  const registered = await registerVerified(request, { email, password, displayName: 'Ada Departing' });
  const auth = { authorization: `Bearer ${registered.tokens.accessToken}` };

  // A booking a week ahead (well inside every demo listing's online cancellation window).
  const search = await (await request.get('/api/v1/search', { params: { size: '20' } })).json();
  let bookingId = '';
  for (const hit of search.results as { id: string }[]) {
    const listing = await (await request.get(`/api/v1/providers/${hit.id}`)).json();
    const service =
      listing.services.find((s: { priceCents: number }) => s.priceCents === 0) ?? listing.services[0];
    if (!service) continue;
    const from = Date.now() + 7 * 86_400_000;
    const slots = await (
      await request.get(`/api/v1/providers/${hit.id}/availability`, {
        params: {
          serviceId: service.id,
          from: new Date(from).toISOString(),
          to: new Date(from + 7 * 86_400_000).toISOString(),
        },
      })
    ).json();
    const first = slots.days.flatMap((d: { slots: { start: string }[] }) => d.slots)[0];
    if (!first) continue;
    const res = await request.post('/api/v1/bookings', {
      headers: { ...auth, 'idempotency-key': unique() },
      data: {
        providerId: hit.id,
        serviceId: service.id,
        start: first.start,
        reasonForVisit: 'Knee pain',
        newPatient: true,
      },
    });
    expect(res.status(), await res.text()).toBe(201);
    bookingId = (await res.json()).id;
    break;
  }
  expect(bookingId, 'a demo listing with a free slot next week').not.toBe('');

  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/bookings$/);
  await page.goto('/account');
  await expect(page.getByRole('heading', { name: 'Your data', exact: true })).toBeVisible();
  await expectAccessible(page, 'account page with data rights');

  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download my data (JSON)' }).click(),
  ]);
  expect(json.suggestedFilename()).toMatch(/^carebook-export-\d{4}-\d{2}-\d{2}\.json$/);
  const data = JSON.parse(readFileSync((await json.path()) as string, 'utf8'));
  expect(data.account.email).toBe(email);
  expect(data.bookings.map((b: { id: string; reasonForVisit: string }) => [b.id, b.reasonForVisit])).toEqual([
    [bookingId, 'Knee pain'],
  ]);
  const [ics] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download my bookings (.ics)' }).click(),
  ]);
  expect(readFileSync((await ics.path()) as string, 'utf8')).toContain(`UID:${bookingId}@carebook`);

  await page.getByRole('button', { name: 'Delete my account' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('upcoming bookings are cancelled');
  await expect(dialog.getByLabel('Your password')).toBeFocused();
  await expectAccessible(page, 'delete-account dialog');
  await dialog.getByLabel('Your password').fill('not my password');
  await dialog.getByRole('button', { name: 'Delete my account permanently' }).click();
  await expect(dialog.getByText('The password is not correct.')).toBeVisible();
  await dialog.getByLabel('Your password').fill(password);
  await dialog.getByRole('button', { name: 'Delete my account permanently' }).click();

  await expect(page).toHaveURL(/\/sign-in\?erased=1$/);
  await expect(page.getByRole('status')).toContainText('Your account has been deleted');
  await expectAccessible(page, 'signed out after deletion');

  // The booking is cancelled for the practice; the old credentials open nothing.
  await signIn(page, email, password);
  await expect(page.getByText('The e-mail or password is not correct', { exact: false })).toBeVisible();
  const login = await request.post('/api/v1/auth/login', { data: { email, password } });
  expect(login.status()).toBe(401);
});
