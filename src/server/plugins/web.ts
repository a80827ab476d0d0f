import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sendRouteNotFound } from '../problem.js';

export const webDistDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/web');

/** Serves the built web app; any non-API path falls back to index.html for client-side routes. */
export async function registerWeb(app: FastifyInstance) {
  if (!fs.existsSync(path.join(webDistDir, 'index.html'))) {
    app.log.warn({ webDistDir }, 'web app not built: run `npm run build` to serve the workspace');
    return;
  }
  await app.register(fastifyStatic, { root: webDistDir, wildcard: false, index: 'index.html' });
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && !request.url.startsWith('/api/') && request.url !== '/metrics') {
      return reply.type('text/html').sendFile('index.html');
    }
    return sendRouteNotFound(reply);
  });
}
