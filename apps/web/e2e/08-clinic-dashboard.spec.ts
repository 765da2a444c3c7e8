import { expect, expectAccessible, registerVerified, screenshots, signIn, test, unique } from './fixtures';

// The front desk is in New York; the practice keeps its own zone on the calendar.
test.use({ timezoneId: 'America/New_York' });

const localDate = (iso: string, tz: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));
const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);

test('clinic: a booking made in another browser appears live on the day calendar and opens by keyboard', async ({
  page,
  browser,
  baseURL,
}) => {
  await signIn(page, 'provider@carebook.test', 'carebook-provider-demo');
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  const calendar = page.getByRole('region', { name: 'Calendar', exact: true });
  await expect(calendar.getByRole('group', { name: /^Bookings and opening hours, / })).toBeVisible();
  await expect(page.getByText('Live updates on')).toBeVisible();

  // Another browser: a new patient finds the practice's next open time through the API.
  const other = await browser.newContext({ baseURL });
  const api = other.request;
  const patientName = `Riley Frontdesk ${unique()}`;
  const registered = await registerVerified(api, {
    email: `clinic-${unique()}@example.org`,
    password: 'a-long-password-1',
    displayName: patientName,
  });
  const token = registered.tokens.accessToken;
  const providerLogin = await api.post('/api/v1/auth/login', {
    data: { email: 'provider@carebook.test', password: 'carebook-provider-demo' },
  });
  const providerToken = (await providerLogin.json()).tokens.accessToken as string;
  const mine = await (
    await api.get('/api/v1/providers?scope=mine', { headers: { authorization: `Bearer ${providerToken}` } })
  ).json();
  let target: {
    id: string;
    name: string;
    tz: string;
    serviceId: string;
    service: string;
    start: string;
  } | null = null;
  for (const summary of mine.items as { id: string; status: string }[]) {
    if (summary.status !== 'published') continue;
    const listing = await (await api.get(`/api/v1/providers/${summary.id}`)).json();
    const service = (listing.services as { id: string; name: string; active: boolean }[]).find(
      (s) => s.active,
    );
    if (!service || !listing.acceptingNewPatients) continue;
    const from = new Date(Math.ceil(Date.now() / 300_000) * 300_000 + 300_000);
    const days = await (
      await api.get(`/api/v1/providers/${summary.id}/availability`, {
        params: {
          serviceId: service.id,
          from: from.toISOString(),
          to: new Date(from.getTime() + 6 * 86_400_000).toISOString(),
        },
      })
    ).json();
    const start = (days.days as { slots: { start: string }[] }[])
      .flatMap((d) => d.slots)
      .map((s) => s.start)
      .find((s) => Date.parse(s) % 300_000 === 0);
    if (start) {
      target = {
        id: summary.id,
        name: listing.name,
        tz: listing.timeZone,
        serviceId: service.id,
        service: service.name,
        start,
      };
      break;
    }
  }
  if (!target) throw new Error("no open time in the demo provider's listings this week");

  // The front desk opens that listing's day in the calendar: Day, then Next day until it is shown.
  const choice = calendar.getByLabel('Listing');
  if (await choice.count()) await choice.selectOption(target.id);
  await calendar.getByRole('button', { name: 'Day', exact: true }).click();
  await expect(calendar.getByRole('button', { name: 'Day', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  const today = localDate(new Date().toISOString(), target.tz);
  for (let i = daysBetween(today, localDate(target.start, target.tz)); i > 0; i--)
    await calendar.getByRole('button', { name: 'Next day ›' }).click();
  await expect(calendar.getByText(`Times in ${target.tz.replace(/_/g, ' ')}`)).toBeVisible();
  await expect(calendar.getByRole('status')).toHaveText(/bookings? this day$/);
  const booking = calendar.getByRole('button', { name: new RegExp(`^${patientName}, new patient, `) });
  await expect(booking).toHaveCount(0);
  await expectAccessible(page, 'clinic dashboard, day calendar');

  // The patient books; no reload: the WebSocket event refetches the open day.
  const booked = await api.post('/api/v1/bookings', {
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': `clinic-${unique()}` },
    data: {
      providerId: target.id,
      serviceId: target.serviceId,
      start: target.start,
      reasonForVisit: 'Headaches when reading',
      newPatient: true,
    },
  });
  expect(booked.status(), await booked.text()).toBe(201);
  await expect(booking).toBeVisible();
  // Its name says who, what and when, in the practice's zone.
  await expect(booking).toHaveAccessibleName(
    new RegExp(`^${patientName}, new patient, ${literal(target.service)}, .+, `),
  );

  // By keyboard: from the navigation, Tab reaches the calendar's one tab stop; Enter opens it.
  await calendar.getByRole('button', { name: 'Next day ›' }).focus();
  for (let i = 0; i < 12 && !(await booking.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press('Tab');
  await expect(booking).toBeFocused();
  await page.keyboard.press('Enter');
  const details = page.getByRole('region', { name: patientName });
  await expect(details).toBeVisible();
  await expect(details.getByRole('heading', { name: patientName })).toBeFocused();
  await expect(details.getByText('New patient')).toBeVisible();
  await expect(details.getByText('Headaches when reading')).toBeVisible();
  await expect(details.getByRole('link', { name: new RegExp(`^E-mail ${patientName}`) })).toHaveAttribute(
    'href',
    /^mailto:clinic-/,
  );
  await expectAccessible(page, 'clinic dashboard, booking opened');
  await screenshots(page, 'clinic-day-booking');
  await page.keyboard.press('Escape');
  await expect(details).toHaveCount(0);
  await expect(booking).toBeFocused();

  // The list beside it says who is coming too; the week view shows the same booking.
  await expect(
    page
      .getByTestId('dashboard-booking')
      .filter({ hasText: 'Headaches when reading' })
      .filter({ hasText: patientName }),
  ).toBeVisible();
  await calendar.getByRole('button', { name: 'Week', exact: true }).click();
  await expect(booking).toBeVisible();
  await expectAccessible(page, 'clinic dashboard, week calendar');
  await screenshots(page, 'clinic-week');
  await page.setViewportSize({ width: 375, height: 812 });
  // At 375 px the week is a list of days; the booking is still one keyboard stop away.
  await expect(calendar.locator('.cal-list')).toBeVisible();
  await expect(booking).toBeVisible();
  await expectAccessible(page, 'clinic dashboard at 375 px');
  await other.close();
});
