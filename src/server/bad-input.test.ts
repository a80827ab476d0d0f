import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app.js';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.loginAs('admin');
});
afterAll(async () => {
  await t.close();
});

const staffCount = async () => (await t.database.rows<{ n: number }>(sql`select count(*)::int as n from staff`))[0]!.n;

const createStaff = (payload: string | object, contentType = 'application/json') =>
  t.app.inject({
    method: 'POST',
    url: '/api/admin/staff',
    headers: { cookie: admin, 'content-type': contentType },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });

const valid = { login: 'newop', fullName: 'Новый Оператор', role: 'l1', password: 'long enough' };

describe('bad input gets a 4xx problem+json with a stable code and changes nothing', () => {
  const cases: [string, string | object, string][] = [
    ['an unknown field', { ...valid, isAdmin: true }, 'request.invalid'],
    ['a wrong type', { ...valid, role: 1 }, 'request.invalid'],
    ['a number where text is expected', { ...valid, fullName: 42 }, 'request.invalid'],
    ['a 10 KB string', { ...valid, fullName: 'я'.repeat(10_000) }, 'request.invalid'],
    ['a NUL character', { ...valid, fullName: 'Иван\u0000ов' }, 'request.control_characters'],
    ['an escape sequence', { ...valid, fullName: 'Иванов\u001b[31m' }, 'request.control_characters'],
    ['a C1 control character', { ...valid, fullName: 'Иванов\u0085' }, 'request.control_characters'],
    ['broken JSON', '{"login": "x",', 'request.invalid_json'],
    ['an empty body', '', 'request.invalid_json'],
    ['a JSON array', '[]', 'request.invalid'],
    ['a missing field', { login: 'x', role: 'l1', password: 'long enough' }, 'request.invalid'],
    ['an unknown role', { ...valid, role: 'root' }, 'request.invalid'],
    ['SQL in the login', { ...valid, login: "x'; drop table staff; --" }, 'request.invalid'],
  ];
  for (const [what, payload, code] of cases) {
    it(`refuses ${what}`, async () => {
      const before = await staffCount();
      const response = await createStaff(payload);
      expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ code, type: `urn:linedesk:problem:${code}` });
      expect(await staffCount()).toBe(before);
    });
  }

  it('refuses broken UTF-8 instead of replacing it', async () => {
    const body = Buffer.concat([
      Buffer.from('{"login":"utf","fullName":"'),
      Buffer.from([0xd0, 0x28, 0xff]),
      Buffer.from('","role":"l1","password":"long enough"}'),
    ]);
    const before = await staffCount();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: { cookie: admin, 'content-type': 'application/json' },
      payload: body,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('request.invalid_utf8');
    expect(await staffCount()).toBe(before);
  });

  it('refuses a body that is not JSON', async () => {
    const response = await createStaff('login=x', 'application/x-www-form-urlencoded');
    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe('request.unsupported_media_type');
  });

  it('refuses bad query strings: unknown parameter, wrong type, broken encoding, control characters', async () => {
    const l1 = await t.loginAs('l1');
    for (const query of [
      'bogus=1',
      'limit=ten',
      'limit=100000',
      'surname=%D0',
      'surname=%00',
      'state=happy',
      'inDebt=maybe',
    ]) {
      const response = await t.app.inject({ url: `/api/subscribers?${query}`, headers: { cookie: l1 } });
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    const longQuery = await t.app.inject({
      url: `/api/subscribers?surname=${'а'.repeat(5_000)}`,
      headers: { cookie: l1 },
    });
    expect(longQuery.statusCode).toBe(400);
  });

  it('refuses an id that is not a number or out of range', async () => {
    const l1 = await t.loginAs('l1');
    for (const id of ['abc', '-1', '0', '99999999999', '1.5']) {
      const response = await t.app.inject({ url: `/api/subscribers/${id}`, headers: { cookie: l1 } });
      expect(response.statusCode, id).toBe(400);
    }
  });

  it('accepts names with hyphens and apostrophes, which are real names', async () => {
    for (const [login, fullName] of [
      ['pv', 'Петров-Водкин Кузьма Сергеевич'],
      ['ob', "О'Брайен Патрик"],
    ]) {
      const response = await createStaff({ ...valid, login, fullName });
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json().fullName).toBe(fullName);
    }
    const l1 = await t.loginAs('l1');
    const search = await t.app.inject({
      url: `/api/subscribers?surname=${encodeURIComponent("О'Брайен")}`,
      headers: { cookie: l1 },
    });
    expect(search.statusCode).toBe(200);
  });

  it('answers an unknown API route with 404 problem+json', async () => {
    const response = await t.app.inject({ url: '/api/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('route.not_found');
  });
});
