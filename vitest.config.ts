import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm test` runs on PGlite; `npm run test:pg` sets TEST_DATABASE_URL and the same files run on
// PostgreSQL. Either way the global setup builds one migrated demo database and every test file
// gets its own copy of it.
export default defineConfig({
  // The web app's tests import src/common as the web app does (vite.config.ts).
  resolve: { alias: { '@common': fileURLToPath(new URL('src/common', import.meta.url)) } },
  test: {
    include: ['src/**/*.test.ts', 'web/src/**/*.test.ts'],
    // Tests that need several connections or processes on one server run on PostgreSQL only.
    exclude: process.env.TEST_DATABASE_URL ? ['**/node_modules/**'] : ['**/node_modules/**', '**/*.pg.test.ts'],
    globalSetup: ['src/testing/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
