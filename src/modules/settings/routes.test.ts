import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LineSettings, SettingsView } from '../../common/api/settings.js';
import { testContext } from '../../testing/context.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { isLineOpen, lineForDialled, operationalSettings, readSecret } from './service.js';

const logLines: string[] = [];
let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp({
    logTo: new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  });
  admin = await t.loginAs('admin');
});
afterAll(() => t?.close());

async function view(cookie = admin): Promise<SettingsView> {
  const response = await t.app.inject({ method: 'GET', url: '/api/settings', headers: { cookie } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const put = (url: string, payload: unknown, cookie = admin) =>
  t.app.inject({ method: 'PUT', url, headers: { cookie }, payload: payload as object });

const auditRows = (action: string) =>
  t.database.rows<{ staff_id: number; target_id: string; details: Record<string, unknown> }>(
    sql`select staff_id, target_id, details from audit_log where action = ${action} order by id`,
  );

describe('the settings a fresh install shows', () => {
  it('are the demo lines: 1st and 2nd line 08:00-22:00 every day, 3rd line round the clock, 80 % in 20 s', async () => {
    const settings = await view(await t.loginAs('l1'));
    expect(settings.lines.map((line) => [line.id, line.role, line.alwaysOpen])).toEqual([
      ['l1', 'l1', false],
      ['l2', 'l2', false],
      ['l3', 'l3', true],
    ]);
    for (const line of settings.lines) {
      expect(line).toMatchObject({
        targetSeconds: 20,
        targetPercent: 80,
        callbackOfferAfterSeconds: 300,
        offerTimeoutSeconds: 15,
        afterContactWorkSeconds: 30,
        chatCapacity: 3,
      });
    }
    expect(settings.lines[0]?.hours[6]).toEqual([{ from: '08:00', to: '22:00' }]);
    expect(settings.contacts).toEqual({
      routingMode: 'acd',
      defaultLine: 'l1',
      repeatWindowHours: 48,
      shortAbandonSeconds: 5,
      disconnectGraceSeconds: 60,
      pbxCommandUrl: null,
    });
    expect(settings.timezone).toBe('Asia/Yekaterinburg');
  });

  it('include the Russian production calendar for 2026, and no secret', async () => {
    const settings = await view();
    expect(settings.calendar.map((year) => [year.year, year.days.length])).toEqual([[2026, 22]]);
    expect(settings.calendar[0]?.source).toMatch(/ru-2026\.xml/);
    expect(settings.secrets).toEqual([
      { name: 'pbx.webhookSecret', set: false, updatedAt: null, updatedBy: null, readable: false },
    ]);
  });

  it('say which lines are open now (the test clock is 2026-11-25 14:00 in Yekaterinburg)', async () => {
    expect((await view()).openNow.map((line) => [line.lineId, line.open])).toEqual([
      ['l1', true],
      ['l2', true],
      ['l3', true],
    ]);
  });
});

describe('changing the lines', () => {
  it('saves a change, moves the version on, and audits each changed field with its before and after', async () => {
    const before = await view();
    const lines = structuredClone(before.lines);
    const l2 = lines[1] as LineSettings;
    l2.targetSeconds = 30;
    l2.hours[7] = [];
    const response = await put('/api/settings/lines', { version: before.linesVersion, lines });
    expect(response.statusCode, response.body).toBe(200);
    const after: SettingsView = response.json();
    expect(after.linesVersion).toBeGreaterThan(before.linesVersion);
    expect(after.lines[1]?.targetSeconds).toBe(30);
    const [row] = (await auditRows('settings.lines_changed')).slice(-1);
    expect(row?.target_id).toBe('lines');
    expect(row?.details.changes).toEqual([
      { path: 'l2.targetSeconds', from: 20, to: 30 },
      { path: 'l2.hours.7', from: [{ from: '08:00', to: '22:00' }], to: [] },
    ]);
    expect((await operationalSettings(t.ctx)).lines[1]?.targetSeconds).toBe(30);
  });

  it('changes nothing and audits nothing when saved as it is', async () => {
    const before = await view();
    const audited = (await auditRows('settings.lines_changed')).length;
    const response = await put('/api/settings/lines', { version: before.linesVersion, lines: before.lines });
    expect(response.statusCode).toBe(200);
    expect(response.json().linesVersion).toBe(before.linesVersion);
    expect(await auditRows('settings.lines_changed')).toHaveLength(audited);
  });

  type Editable = Record<string, unknown> & { hours: Record<string, unknown>; dialled: string[] };
  type Lines = [Editable, Editable, Editable, ...Editable[]];
  const edits: [string, (lines: Lines) => void, string][] = [
    [
      'a time that is not a time',
      (lines) => {
        lines[0].hours[1] = [{ from: '25:00', to: '26:00' }];
      },
      'request.invalid',
    ],
    [
      'an interval that ends before it starts',
      (lines) => {
        lines[0].hours[1] = [{ from: '22:00', to: '08:00' }];
      },
      'settings.invalid',
    ],
    [
      'overlapping intervals',
      (lines) => {
        lines[0].hours[1] = [
          { from: '08:00', to: '14:00' },
          { from: '13:00', to: '22:00' },
        ];
      },
      'settings.invalid',
    ],
    [
      '24:00 as a start',
      (lines) => {
        lines[0].hours[1] = [{ from: '24:00', to: '24:00' }];
      },
      'settings.invalid',
    ],
    [
      'one number on two lines, written differently',
      (lines) => {
        lines[1].dialled = ['+7 (800) 100-20-30'];
      },
      'settings.invalid',
    ],
    [
      'one line id twice',
      (lines) => {
        lines[2].id = 'l2';
      },
      'settings.invalid',
    ],
    [
      'an upper-case line id',
      (lines) => {
        lines[2].id = 'L3';
      },
      'request.invalid',
    ],
    [
      'an unknown field',
      (lines) => {
        lines[0].colour = 'red';
      },
      'request.invalid',
    ],
    [
      'a number as text',
      (lines) => {
        lines[0].targetSeconds = '20';
      },
      'request.invalid',
    ],
    [
      'a target out of range',
      (lines) => {
        lines[0].targetPercent = 101;
      },
      'request.invalid',
    ],
    ['the default line removed', (lines) => lines.splice(0, 1), 'settings.invalid'],
    [
      'a weekday missing',
      (lines) => {
        delete lines[0].hours[7];
      },
      'request.invalid',
    ],
  ];
  for (const [what, edit, code] of edits) {
    it(`refuses ${what} with a 400, and changes nothing`, async () => {
      const before = await view();
      const lines = structuredClone(before.lines) as unknown as Lines;
      edit(lines);
      const response = await put('/api/settings/lines', { version: before.linesVersion, lines });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
      expect(response.json().code).toBe(code);
      const after = await view();
      expect(after.linesVersion).toBe(before.linesVersion);
      expect(after.lines).toEqual(before.lines);
    });
  }

  it('refuses a change made from an older version with a 409, and keeps the newer one', async () => {
    const before = await view();
    const lines = structuredClone(before.lines);
    (lines[0] as LineSettings).name = 'Справочная';
    expect((await put('/api/settings/lines', { version: before.linesVersion, lines })).statusCode).toBe(200);
    (lines[0] as LineSettings).name = 'Stale';
    const stale = await put('/api/settings/lines', { version: before.linesVersion, lines });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('settings.version_conflict');
    expect((await view()).lines[0]?.name).toBe('Справочная');
  });

  it('adds a line whose number then picks it', async () => {
    const before = await view();
    const business = {
      ...structuredClone(before.lines[0] as LineSettings),
      id: 'business',
      name: 'Бизнес',
      dialled: ['+7 343 300-00-00'],
    };
    const response = await put('/api/settings/lines', {
      version: before.linesVersion,
      lines: [...before.lines, business],
    });
    expect(response.statusCode, response.body).toBe(200);
    expect((await lineForDialled(t.ctx, '8 (343) 300-00-00')).id).toBe('business');
    expect((await lineForDialled(t.ctx, '300-00-00')).id).toBe('business');
  });
});

describe('which line a call is for', () => {
  it('matches the number dialled in any writing, menu choices as written, anything else to the default line', async () => {
    for (const dialled of ['8-800-100-20-30', '8 800 100 20 30', '+78001002030', '88001002030', '1']) {
      expect((await lineForDialled(t.ctx, dialled)).id).toBe('l1');
    }
    expect((await lineForDialled(t.ctx, '2')).id).toBe('l2');
    expect((await lineForDialled(t.ctx, '3')).id).toBe('l3');
    expect((await lineForDialled(t.ctx, '+79990000000')).id).toBe('l1');
    expect((await lineForDialled(t.ctx, null)).id).toBe('l1');
  });

  it('sends unknown numbers to the default line the administrator chose', async () => {
    const before = await view();
    const response = await put('/api/settings/contacts', {
      version: before.contactsVersion,
      contacts: { ...before.contacts, defaultLine: 'l2' },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect((await lineForDialled(t.ctx, '+79990000000')).id).toBe('l2');
    const [row] = (await auditRows('settings.contacts_changed')).slice(-1);
    expect(row?.details.changes).toEqual([{ path: 'defaultLine', from: 'l1', to: 'l2' }]);
  });
});

describe('whether a line is open, through the service', () => {
  it('closes lines 1 and 2 on a holiday and keeps line 3 open', async () => {
    const holiday = new Date('2026-11-04T07:00:00Z');
    expect(await isLineOpen(t.ctx, 'l1', holiday)).toMatchObject({
      open: false,
      opensAt: new Date('2026-11-05T03:00:00Z'),
    });
    expect(await isLineOpen(t.ctx, 'l3', holiday)).toMatchObject({ open: true });
    await expect(isLineOpen(t.ctx, 'nope', holiday)).rejects.toThrow(/settings.line_not_found/);
  });
});

describe('contact settings', () => {
  const bad: [string, Record<string, unknown>][] = [
    ['a default line that does not exist', { defaultLine: 'l9' }],
    ['a PBX address that is not http(s)', { pbxCommandUrl: 'ftp://pbx.example/commands' }],
    ['a PBX address with a password in it', { pbxCommandUrl: 'https://user:pass@pbx.example/commands' }],
    ['an unknown routing mode', { routingMode: 'random' }],
    ['an unknown field', { colour: 'red' }],
    ['a grace period out of range', { disconnectGraceSeconds: 1 }],
  ];
  for (const [what, change] of bad) {
    it(`refuses ${what} with a 400, and changes nothing`, async () => {
      const before = await view();
      const response = await put('/api/settings/contacts', {
        version: before.contactsVersion,
        contacts: { ...before.contacts, ...change },
      });
      expect(response.statusCode, response.body).toBe(400);
      const after = await view();
      expect([after.contacts, after.contactsVersion]).toEqual([before.contacts, before.contactsVersion]);
    });
  }

  it('saves the PBX’s command address', async () => {
    const before = await view();
    const response = await put('/api/settings/contacts', {
      version: before.contactsVersion,
      contacts: { ...before.contacts, pbxCommandUrl: 'https://pbx.example/linedesk', routingMode: 'card-pop' },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect((await operationalSettings(t.ctx)).contacts).toMatchObject({
      pbxCommandUrl: 'https://pbx.example/linedesk',
      routingMode: 'card-pop',
    });
  });
});

describe('the production calendar', () => {
  const calendar2027 = `<?xml version="1.0" encoding="UTF-8"?>
    <calendar year="2027" lang="ru"><holidays><holiday id="1" title="Новогодние каникулы"/></holidays>
    <days><day d="01.01" t="1" h="1"/><day d="02.20" t="2"/><day d="02.22" t="1" f="02.20"/></days></calendar>`;

  it('loads another year from the XML ISPs download, keeps the others, and audits the days added', async () => {
    const before = await view();
    const response = await put('/api/settings/calendar', {
      version: before.calendarVersion,
      content: calendar2027,
      fileName: 'calendar.xml',
    });
    expect(response.statusCode, response.body).toBe(200);
    const after: SettingsView = response.json();
    expect(after.calendar.map((year) => [year.year, year.days.length, year.source])).toEqual([
      [2026, 22, expect.stringMatching(/ru-2026/)],
      [2027, 3, 'calendar.xml'],
    ]);
    expect(after.calendar[1]?.loadedBy).toBe('Елена Админова (администратор)');
    const [row] = (await auditRows('settings.calendar_loaded')).slice(-1);
    expect(row?.details).toMatchObject({
      year: 2027,
      added: ['2027-01-01 holiday', '2027-02-20 shortened', '2027-02-22 holiday'],
      removed: [],
    });
    // 22 February 2027 is a Monday off.
    expect(await isLineOpen(t.ctx, 'l1', new Date('2027-02-22T07:00:00Z'))).toMatchObject({ open: false });
  });

  it('replaces a year’s days when the year is loaded again', async () => {
    const before = await view();
    const response = await put('/api/settings/calendar', {
      version: before.calendarVersion,
      content: '2027-01-01,holiday\n2027-01-02,holiday\n',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().calendar[1].days.map((day: { date: string }) => day.date)).toEqual([
      '2027-01-01',
      '2027-01-02',
    ]);
    const [row] = (await auditRows('settings.calendar_loaded')).slice(-1);
    expect(row?.details).toMatchObject({
      added: ['2027-01-02 holiday'],
      removed: ['2027-02-20 shortened', '2027-02-22 holiday'],
    });
  });

  it('refuses a file it cannot read, or one loaded from an older version, and changes nothing', async () => {
    const before = await view();
    const broken = await put('/api/settings/calendar', {
      version: before.calendarVersion,
      content: '2027-02-30,holiday',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().code).toBe('settings.calendar_invalid');
    const stale = await put('/api/settings/calendar', { version: before.calendarVersion - 1, content: calendar2027 });
    expect(stale.statusCode).toBe(409);
    const after = await view();
    expect([after.calendar, after.calendarVersion]).toEqual([before.calendar, before.calendarVersion]);
  });
});

describe('who may change settings', () => {
  it('refuses every change to anyone but an administrator with a 403, and changes nothing', async () => {
    const before = await view();
    for (const role of ['supervisor', 'l1', 'l2', 'l3', 'tech'] as const) {
      const cookie = await t.loginAs(role);
      const answers = await Promise.all([
        put('/api/settings/lines', { version: before.linesVersion, lines: before.lines }, cookie),
        put('/api/settings/contacts', { version: before.contactsVersion, contacts: before.contacts }, cookie),
        put('/api/settings/calendar', { version: before.calendarVersion, content: '2027-01-01,holiday' }, cookie),
        put('/api/settings/secrets/pbx.webhookSecret', { value: 'x'.repeat(32) }, cookie),
        t.app.inject({ method: 'DELETE', url: '/api/settings/secrets/pbx.webhookSecret', headers: { cookie } }),
      ]);
      expect(answers.map((answer) => answer.statusCode)).toEqual([403, 403, 403, 403, 403]);
    }
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/settings' });
    expect(anonymous.statusCode).toBe(401);
    expect(await view()).toEqual(before);
  });
});

describe('the PBX’s webhook secret', () => {
  const secret = 'Pbx-Webhook-Secret-0123456789abcdef';

  it('is stored encrypted: neither it nor its base64 is in the table', async () => {
    const response = await put('/api/settings/secrets/pbx.webhookSecret', { value: secret });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      name: 'pbx.webhookSecret',
      set: true,
      readable: true,
      updatedBy: 'Елена Админова (администратор)',
    });
    expect(response.body).not.toContain(secret);
    const rows = await t.database.rows<Record<string, unknown>>(sql`select * from settings_secrets`);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(Buffer.from(secret).toString('base64'));
    expect(stored).not.toContain(Buffer.from(secret).toString('hex'));
    expect(rows[0]).toMatchObject({ name: 'pbx.webhookSecret', key_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(await readSecret(t.ctx, 'pbx.webhookSecret')).toBe(secret);
  });

  it('is never in an answer, the audit log or the log; the audit row names the secret only', async () => {
    await put('/api/settings/secrets/pbx.webhookSecret', { value: `${secret}-2` });
    // A refused write too: the value must not come back in the problem.
    const refused = await put('/api/settings/secrets/pbx.webhookSecret', { value: `${secret} with spaces` });
    expect(refused.statusCode).toBe(400);
    const answers = [
      refused.body,
      JSON.stringify(await view()),
      (await t.app.inject({ method: 'GET', url: '/api/audit?limit=500', headers: { cookie: admin } })).body,
      (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).body,
    ];
    for (const answer of answers) expect(answer).not.toContain(secret);
    const audited = await auditRows('settings.secret_changed');
    expect(audited.map((row) => row.details)).toEqual([
      { name: 'pbx.webhookSecret', change: 'set' },
      { name: 'pbx.webhookSecret', change: 'replaced' },
    ]);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(secret);
  });

  it('is forgotten when cleared, audited as cleared', async () => {
    const response = await t.app.inject({
      method: 'DELETE',
      url: '/api/settings/secrets/pbx.webhookSecret',
      headers: { cookie: admin },
    });
    expect(response.statusCode).toBe(204);
    expect(await readSecret(t.ctx, 'pbx.webhookSecret')).toBeNull();
    expect((await view()).secrets[0]).toMatchObject({ set: false, readable: false });
    expect((await auditRows('settings.secret_changed')).at(-1)?.details).toEqual({
      name: 'pbx.webhookSecret',
      change: 'cleared',
    });
  });

  it('refuses a secret too short or a name it does not know', async () => {
    expect((await put('/api/settings/secrets/pbx.webhookSecret', { value: 'short' })).statusCode).toBe(400);
    expect((await put('/api/settings/secrets/nas.radius', { value: 'x'.repeat(32) })).statusCode).toBe(400);
  });

  it('reads as null, with an error naming it, on a server with another key; the screen says to set it again', async () => {
    const keyA = 'a1'.repeat(32);
    const keyB = 'b2'.repeat(32);
    const withA = testContext(t.database, { env: { SETTINGS_KEY: keyA } });
    await put('/api/settings/secrets/pbx.webhookSecret', { value: secret }); // under the test key
    const { writeSecret } = await import('./service.js');
    await writeSecret(withA, { id: 1 }, 'pbx.webhookSecret', secret, null);
    expect(await readSecret(withA, 'pbx.webhookSecret')).toBe(secret);
    const lines: string[] = [];
    const withB = testContext(t.database, {
      env: { SETTINGS_KEY: keyB },
      logTo: new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    expect(await readSecret(withB, 'pbx.webhookSecret')).toBeNull();
    expect(lines.join('\n')).toMatch(/pbx\.webhookSecret.*another key/);
    expect(lines.join('\n')).not.toContain(secret);
    // This app's own key is neither A nor B.
    expect((await view()).secrets[0]).toMatchObject({ set: true, readable: false });
  });
});
