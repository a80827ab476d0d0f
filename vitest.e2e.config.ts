import { defineConfig } from 'vitest/config';

// Browser tests: the real server (built web app, demo data) driven by Chromium through
// playwright-core. One server for the run, one file at a time: they share its login throttle.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    reporters: ['default'],
  },
});
