/**
 * Playwright configuration of Quire's end-to-end suite: real server, system Chromium.
 *
 * Budgets are set for a busy 2-core machine (another test run beside this one): one worker, so
 * the browsers of one test never compete with another test's, and per-test time several times
 * what a test takes alone. Tests that do more (long scenarios) say so with `test.slow()`.
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './support/browser.ts';

// Each run writes its artifacts to its own folder, so two runs from one checkout never clean up
// each other's traces. Set once by the runner; its workers inherit it.
process.env.QUIRE_E2E_RUN_ID ??= `${Date.now()}-${process.pid}`;

export default defineConfig({
  testDir: './specs',
  globalSetup: './global-setup.ts',
  outputDir: `../test-results/e2e-${process.env.QUIRE_E2E_RUN_ID}`,
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // A test takes 2-17 s alone; 120 s leaves room for a machine running two suites at once.
  timeout: 120_000,
  // The whole suite takes about 3 minutes alone; this bound only stops a run that hangs.
  globalTimeout: 25 * 60_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: findChromium(), args: CHROMIUM_ARGS },
    viewport: { width: 1280, height: 800 },
    actionTimeout: 20_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
