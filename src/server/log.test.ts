import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app.js';
import { createLog, scrubError } from './log.js';

const lines: string[] = [];
const logTo = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ logTo });
});
afterAll(async () => {
  await t?.close();
});

describe('the log', () => {
  it('holds no password, hash or session cookie when a statement carrying them fails', async () => {
    // A failure inside the insert of a new member, whose parameters hold the argon2id hash.
    await t.database.db.execute(sql`
      create function refuse_staff() returns trigger language plpgsql as $$
      begin raise not_null_violation using message = 'refused for the test', detail = 'Failing row contains (' || new.password_hash || ')'; end $$`);
    await t.database.db.execute(
      sql`create trigger refuse_staff before insert on staff for each row when (new.login = 'doomed') execute function refuse_staff()`,
    );
    const cookie = await t.loginAs('admin');
    const sessionToken = cookie.split('=')[1] as string;
    lines.length = 0;
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: { cookie },
      payload: { login: 'doomed', fullName: 'Обречённый', role: 'l1', password: 'the secret password' },
    });
    expect(response.statusCode).toBe(500);
    const log = lines.join('\n');
    expect(log).toContain('unhandled error');
    expect(log).toContain('23502');
    expect(log).not.toContain('$argon2');
    expect(log).not.toContain('the secret password');
    expect(log).not.toContain(sessionToken);
    expect(log).not.toContain('Failing row');
  });

  it('redacts fields that name a secret and secret-looking values, at any depth', () => {
    const out: string[] = [];
    const log = createLog(
      'info',
      new Writable({
        write(chunk, _encoding, done) {
          out.push(String(chunk));
          done();
        },
      }),
    );
    log.info(
      {
        password: 'hunter2',
        member: { passwordHash: '$argon2id$v=19$x', codeWord: 'Барсик' },
        req: { headers: { cookie: 'linedesk_session=abc', authorization: 'Bearer xyz' } },
        row: { code_word_hash: 'sha256$0011$ff', token: 't0k' },
      },
      'a note about linedesk_session=abcdef and $argon2id$v=19$m=1$salt$hash',
    );
    const text = out.join('');
    for (const secret of ['hunter2', '$argon2id', 'Барсик', 'linedesk_session=abc', 'xyz', 'sha256$0011', 't0k']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
  });

  it('keeps of a database error only what names the failure, never its parameters or row', () => {
    const cause = Object.assign(new Error('duplicate key value violates unique constraint "staff_login_unique"'), {
      code: '23505',
      constraint: 'staff_login_unique',
      table: 'staff',
      detail: 'Key (login)=(bob) already exists.',
    });
    const error = Object.assign(
      new Error('Failed query: insert into staff …\nparams: bob,$argon2id$v=19$m=19456$salt$hash'),
      {
        params: ['bob', '$argon2id$v=19$m=19456$salt$hash'],
        cause,
      },
    );
    const scrubbed = JSON.stringify(scrubError(error));
    expect(scrubbed).not.toContain('argon2');
    expect(scrubbed).not.toContain('Key (login)');
    expect(scrubbed).toContain('staff_login_unique');
    expect(scrubbed).toContain('params: [redacted]');
  });
});
