import { defineConfig } from '@playwright/test';

/**
 * Browser journeys against a real API server on a fresh database (see e2e/global-setup.ts).
 * Debian's Chromium is used as installed; Playwright never downloads a browser.
 */
export default defineConfig({
  testDir: './e2e',
  outputDir: './e2e/artifacts/test-output',
  globalSetup: './e2e/global-setup.ts',
  // Files run side by side on two workers. No journey waits for real time to pass: the provider
  // journey moves a test clock on its own server (see 01-provider-journey.spec.ts).
  fullyParallel: true,
  workers: 2,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [['list'], ['html', { outputFolder: './e2e/artifacts/report', open: 'never' }]],
  use: {
    headless: true,
    viewport: { width: 1280, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    },
  },
});
