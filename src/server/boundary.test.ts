import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app.js';
import { buildApp } from './app.js';
import { problemErrorHandler } from './problem.js';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.loginAs('admin');
});
afterAll(async () => {
  await t?.close();
});

describe('text at the boundary', () => {
  it('is NFC: a surname with a decomposed ё finds in the list what the composed one finds', async () => {
    const l1 = await t.loginAs('l1');
    const totalFor = async (surname: string) => {
      const response = await t.app.inject({
        url: `/api/subscribers?surname=${encodeURIComponent(surname)}`,
        headers: { cookie: l1 },
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json().total as number;
    };
    const composed = await totalFor('Семёнов');
    expect(composed).toBeGreaterThan(0);
    expect(await totalFor('Семе\u0308нов')).toBe(composed);
  });

  it('is NFC in bodies: a name sent decomposed is stored composed', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: { cookie: admin },
      payload: { login: 'nfc', fullName: 'Семе\u0308нов Пётр', role: 'l1', password: 'long enough' },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().fullName).toBe('Семёнов Пётр');
  });
});

describe('staff names', () => {
  const create = (login: string, fullName: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: { cookie: admin },
      payload: { login, fullName, role: 'l1', password: 'long enough' },
    });

  it('are trimmed', async () => {
    const response = await create('trimmed', '  Иванова Анна \u200B ');
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().fullName).toBe('Иванова Анна');
  });

  it.each([
    ['blank', '   '],
    ['invisible only', '\u200B'],
    ['a bidi override', 'Иванов\u202Eвонави'],
    ['two lines', 'Иванов\nПетров'],
  ])('refuse %s with a clear 400, on creation and on rename', async (_what, fullName) => {
    const created = await create(`bad${Math.random().toString(36).slice(2, 8)}`, fullName);
    expect(created.statusCode).toBe(400);
    expect(created.json()).toMatchObject({ code: 'staff.invalid_name' });
    expect(created.json().detail).toBeTruthy();
    const [l3] = await t.database.rows<{ id: number }>(sql`select id from staff where login = 'l3'`);
    const renamed = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/staff/${l3?.id}`,
      headers: { cookie: admin },
      payload: { fullName },
    });
    expect(renamed.statusCode).toBe(400);
    expect(renamed.json().code).toBe('staff.invalid_name');
  });

  it('are audited on rename with the name before and after', async () => {
    const [l2] = await t.database.rows<{ id: number; full_name: string }>(
      sql`select id, full_name from staff where login = 'l2'`,
    );
    const renamed = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/staff/${l2?.id}`,
      headers: { cookie: admin },
      payload: { fullName: 'Новое Имя' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const audit = await t.database.rows<{ details: { from: string; to: string } }>(
      sql`select details from audit_log where action = 'staff.renamed' and target_id = ${String(l2?.id)}`,
    );
    expect(audit.map((row) => row.details)).toEqual([{ from: l2?.full_name, to: 'Новое Имя' }]);
  });
});

describe('every answer', () => {
  it('is problem+json for a path with broken percent-encoding, with the security headers', async () => {
    const response = await t.app.inject({ url: '/api/subscribers/%E0%A4%A' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'request.invalid_url', status: 400 });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it.each(['/api/health', '/api/nothing-here', '/api/subscribers', '/api/docs'])(
    'carries the security headers (%s)',
    async (url) => {
      const response = await t.app.inject({ url });
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toMatch(/script-src 'self' 'nonce-[0-9a-f]{32}'/);
      expect(csp).toMatch(/style-src 'self' 'nonce-[0-9a-f]{32}'/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
    },
  );

  it('keeps the API docs page working under the policy: its page, scripts, styles and spec are its own', async () => {
    const page = await t.app.inject({ url: '/api/docs' });
    expect(page.statusCode).toBe(200);
    // Nothing inline: every script and style of the page is a file of its own, which 'self' allows.
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.body).not.toMatch(/<style/);
    const assets = [...page.body.matchAll(/(?:src|href)="(\/api\/docs\/[^"]+)"/g)].map((match) => match[1] as string);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of [...assets, '/api/docs/json']) {
      expect((await t.app.inject({ url: asset })).statusCode, asset).toBe(200);
    }
  });

  it('serves the web app’s index.html with the style nonce of its own policy in a meta tag', async () => {
    // A build of its own, so the test runs before (and without) `npm run build:web`.
    const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedesk-web-'));
    fs.writeFileSync(
      path.join(webDir, 'index.html'),
      '<!doctype html><html><head><meta charset="UTF-8" /><title>Linedesk</title></head><body></body></html>',
    );
    const app = await buildApp(t.ctx, { webDir });
    try {
      for (const url of ['/', '/login', '/index.html', '/subscribers/1']) {
        const response = await app.inject({ url });
        expect(response.statusCode, url).toBe(200);
        const nonce = /style-src 'self' 'nonce-([0-9a-f]+)'/.exec(String(response.headers['content-security-policy']));
        expect(response.body, url).toContain(`<meta name="csp-nonce" content="${nonce?.[1]}" />`);
        expect(response.headers['cache-control']).toBe('no-store');
      }
    } finally {
      await app.close();
      fs.rmSync(webDir, { recursive: true, force: true });
    }
  });
});

describe('a unique violation from the database', () => {
  it('is 409 problem+json, never 500, named for the constraint when people can run into it', async () => {
    const app = Fastify();
    app.setErrorHandler(problemErrorHandler);
    const violation = (constraint: string) =>
      Object.assign(new Error('Failed query: insert …\nparams: x'), {
        cause: Object.assign(new Error('duplicate key value violates unique constraint'), {
          code: '23505',
          constraint,
        }),
      });
    app.get('/login', async () => {
      throw violation('staff_login_unique');
    });
    app.get('/other', async () => {
      throw violation('tariffs_code_unique');
    });
    const login = await app.inject({ url: '/login' });
    expect(login.statusCode).toBe(409);
    expect(login.headers['content-type']).toContain('application/problem+json');
    expect(login.json().code).toBe('staff.login_taken');
    const other = await app.inject({ url: '/other' });
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('request.conflict');
    await app.close();
  });
});
