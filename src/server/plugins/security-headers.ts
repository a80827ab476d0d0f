import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * Security headers on every answer (docs/security.md, "Headers"). The Content-Security-Policy
 * allows only the app's own scripts, styles, images and API: an injected script, a script from
 * elsewhere or an inline one does not run. The component library (Mantine) writes its CSS
 * variables in <style> tags; those carry the per-request style nonce, which the served index.html
 * hands the web app in `<meta name="csp-nonce">` (plugins/web.ts). Nobody may frame the app
 * (clickjacking), browsers do not guess content types, and no address leaks in a Referer.
 */
const directives = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export async function registerSecurityHeaders(app: FastifyInstance) {
  await app.register(helmet, {
    enableCSPNonces: true,
    // useDefaults off: helmet's defaults add upgrade-insecure-requests, which breaks a plain-HTTP
    // install on an internal network (and localhost), and allow inline style attributes.
    contentSecurityPolicy: { useDefaults: false, directives },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // HTTPS installs only (browsers ignore it over HTTP); not for the ISP's other subdomains.
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  });
}

/**
 * For the answers Fastify gives before any hook runs (a path with broken percent-encoding): the
 * strictest form of the same headers, as those answers are only problem+json.
 */
export function setStrictSecurityHeaders(reply: FastifyReply) {
  reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'no-referrer');
}
