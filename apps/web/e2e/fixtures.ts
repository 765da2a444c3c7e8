import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { AuthResult } from '@carebook/contracts';
import { type APIRequestContext, test as base, expect, type Page } from '@playwright/test';

const artifacts = join(dirname(fileURLToPath(import.meta.url)), 'artifacts', 'screenshots');
mkdirSync(artifacts, { recursive: true });

export const test = base.extend({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixture signature
  baseURL: async ({}, use) => {
    const url = process.env.E2E_BASE_URL;
    if (!url) throw new Error('E2E_BASE_URL is not set: the global setup did not start the server');
    await use(url);
  },
});
export { expect };

/** Fails on any serious or critical axe violation on the page as it is now. */
export async function expectAccessible(page: Page, label: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = bad.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')}`,
  );
  expect(summary, `axe on ${label}`).toEqual([]);
}

/** Full-page screenshots at desktop and phone widths, kept as test artifacts. */
export async function screenshots(page: Page, name: string) {
  const original = page.viewportSize() ?? { width: 1280, height: 900 };
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    // From the top, so the sticky header is where a visitor sees it.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(artifacts, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(original);
}

export const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** The newest e-mail to `to` whose subject matches, read from the dev mailbox (waits for it). */
export async function mailFromDevMailbox(
  request: APIRequestContext,
  to: string,
  subject: RegExp,
  base = '',
): Promise<string> {
  const unescapeHtml = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  let text: string | null = null;
  await expect
    .poll(
      async () => {
        for (let n = 1; ; n++) {
          const list = await (await request.get(`${base}/dev/mailbox?page=${n}`)).text();
          for (const row of list.split('<tr>').slice(1)) {
            const m = /<td>([^<]*)<\/td><td><a href="(\/dev\/mailbox\/[^"]+)">([^<]*)<\/a>/.exec(row);
            if (!m || unescapeHtml(m[1] ?? '') !== to || !subject.test(unescapeHtml(m[3] ?? ''))) continue;
            const page = await (await request.get(`${base}${m[2]}`)).text();
            text = unescapeHtml(/<h2>Text<\/h2><pre>([\s\S]*?)<\/pre>/.exec(page)?.[1] ?? '');
            return true;
          }
          if (!list.includes('rel="next"')) return false;
        }
      },
      { message: `an e-mail to ${to} matching ${subject}` },
    )
    .toBe(true);
  return text ?? '';
}

/** The link of that kind in the newest such e-mail to `to`, as a path (`/verify-email#token=…`). */
export async function mailedLink(
  request: APIRequestContext,
  to: string,
  kind: 'verify-email' | 'reset-password',
  base = '',
): Promise<string> {
  const subject = kind === 'verify-email' ? /Confirm your e-mail/ : /Reset your Carebook password/;
  const text = await mailFromDevMailbox(request, to, subject, base);
  const path = new RegExp(`/${kind}#token=[A-Za-z0-9_-]+`).exec(text)?.[0];
  expect(path, `a ${kind} link in the e-mail to ${to}`).toBeTruthy();
  return path ?? '';
}

/** Signs up through the API, confirms the address with the mailed link, and signs in. */
export async function registerVerified(
  request: APIRequestContext,
  account: { email: string; password: string; displayName: string; role?: 'patient' | 'provider' },
  base = '',
): Promise<AuthResult> {
  const reg = await request.post(`${base}/api/v1/auth/register`, { data: account });
  expect(reg.status(), await reg.text()).toBe(202);
  const link = await mailedLink(request, account.email.toLowerCase(), 'verify-email', base);
  const token = link.split('#token=')[1];
  const verified = await request.post(`${base}/api/v1/auth/verify-email`, { data: { token } });
  expect(verified.status(), await verified.text()).toBe(200);
  const login = await request.post(`${base}/api/v1/auth/login`, {
    data: { email: account.email, password: account.password },
  });
  expect(login.status(), await login.text()).toBe(200);
  return (await login.json()) as AuthResult;
}
