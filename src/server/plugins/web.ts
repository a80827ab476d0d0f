import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sendRouteNotFound } from '../problem.js';

export const webDistDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/web');

/**
 * index.html with this answer's style nonce in `<meta name="csp-nonce" content="…">`: the web app
 * passes it to Mantine (`MantineProvider getStyleNonce`), whose <style> tags the
 * Content-Security-Policy (plugins/security-headers.ts) accepts only with it. Never cached: the
 * nonce is new for every answer.
 */
export function indexWithNonce(html: string, nonce: string): string {
  const meta = `<meta name="csp-nonce" content="${nonce}" />`;
  // After <meta charset>, which browsers look for in the first bytes.
  return /<meta charset[^>]*>/i.test(html)
    ? html.replace(/<meta charset[^>]*>/i, (charset) => `${charset}\n    ${meta}`)
    : html.replace(/<head>/i, `<head>\n    ${meta}`);
}

/**
 * Serves the built web app (`distDir`, the build's folder unless a test gives its own); any
 * non-API path falls back to index.html for client-side routes.
 */
export async function registerWeb(app: FastifyInstance, distDir = webDistDir) {
  const indexPath = path.join(distDir, 'index.html');
  if (!fs.existsSync(indexPath)) {
    app.log.warn({ webDistDir: distDir }, 'web app not built: run `npm run build` to serve the workspace');
    return;
  }
  const index = fs.readFileSync(indexPath, 'utf8');
  const sendIndex = (reply: FastifyReply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(indexWithNonce(index, reply.cspNonce.style));
  await app.register(fastifyStatic, {
    root: distDir,
    wildcard: false,
    index: false,
    // index.html only ever goes out with its nonce (below), never as the plain file.
    allowedPath: (pathName) => pathName !== '/index.html',
  });
  app.setNotFoundHandler((request, reply) => {
    if (
      (request.method === 'GET' || request.method === 'HEAD') &&
      !request.url.startsWith('/api/') &&
      request.url !== '/metrics'
    ) {
      return sendIndex(reply);
    }
    return sendRouteNotFound(reply);
  });
}
