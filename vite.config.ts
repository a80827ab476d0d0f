import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The operator web app: built into dist/web, which the Fastify server serves (src/server/plugins/web.ts).
// In development `vite` serves web/ and forwards the API to a server started on port 3000.
const apiServer = process.env.LINEDESK_API ?? 'http://localhost:3000';

export default defineConfig({
  root: 'web',
  plugins: [react()],
  // The shapes the server answers with (src/common): also in web/tsconfig.json and vitest.config.ts.
  resolve: { alias: { '@common': fileURLToPath(new URL('src/common', import.meta.url)) } },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // The budget is on initial JS gzipped (DESIGN.md, "Budgets"); vite prints gzip sizes per chunk.
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: {
      '/api': apiServer,
      '/metrics': apiServer,
    },
  },
});
