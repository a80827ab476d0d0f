import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

it('documents every module’s routes in the OpenAPI description, with their schemas', async () => {
  const response = await t.app.inject({ url: '/api/docs/json' });
  expect(response.statusCode).toBe(200);
  const { paths } = response.json() as { paths: Record<string, Record<string, { parameters?: { name: string }[] }>> };
  for (const path of [
    '/api/health',
    '/api/auth/login',
    '/api/admin/staff/{id}',
    '/api/subscribers',
    '/api/subscribers/{id}',
    '/api/identify',
    '/api/identify/phone/{phone}',
    '/api/audit',
  ]) {
    expect(Object.keys(paths), path).toContain(path);
  }
  const identify = paths['/api/identify']?.get?.parameters?.map((parameter) => parameter.name);
  expect(identify).toEqual(expect.arrayContaining(['q', 'phoneLast4']));
});
