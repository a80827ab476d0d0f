import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
let supervisor: string;
beforeAll(async () => {
  t = await startTestApp();
  supervisor = await t.loginAs('supervisor');
});
afterAll(() => t?.close());

const put = (id: number, payload: object, cookie = supervisor) =>
  t.app.inject({ method: 'PUT', url: `/api/agents/${id}`, headers: { cookie }, payload });

async function agentId(login: string): Promise<number> {
  const [row] = await t.database.rows<{ id: number }>(sql`select id from staff where login = ${login}`);
  return row?.id ?? 0;
}

describe("a supervisor sets an agent's lines, skills and extension", () => {
  it('lists the agents and changes one, audited', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/agents', headers: { cookie: supervisor } });
    expect(list.statusCode).toBe(200);
    const l2 = list.json().find((agent: { login: string }) => agent.login === 'l2');
    expect(l2).toMatchObject({ role: 'l2', lines: ['l2'] });
    const changed = await put(l2.staffId, { lines: ['l2', 'l1'], skills: ['call'], extension: '2999' });
    expect(changed.statusCode, changed.body).toBe(204);
    const [row] = await t.database.rows<{ lines: string[]; extension: string }>(
      sql`select lines, extension from agent_states where staff_id = ${l2.staffId}`,
    );
    expect(row).toEqual({ lines: ['l2', 'l1'], extension: '2999' });
    const [audit] = await t.database.rows<{ n: number }>(sql`select count(*)::int as n from audit_log
      where action = 'contacts.agent_profile_changed' and target_id = ${String(l2.staffId)}`);
    expect(audit?.n).toBe(1);
  });

  it('refuses an extension another agent has (409), an unknown line (400), and agents changing themselves (403)', async () => {
    await put(await agentId('l1'), { lines: ['l1'], skills: ['call', 'chat'], extension: '7001' });
    const taken = await put(await agentId('l3'), { lines: ['l3'], skills: ['call'], extension: '7001' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('contacts.extension_taken');
    const unknown = await put(await agentId('l3'), { lines: ['l9'], skills: ['call'], extension: null });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('contacts.unknown_line');
    const l1 = await t.loginAs('l1');
    expect(
      (await put(await agentId('l1'), { lines: ['l1', 'l2', 'l3'], skills: [], extension: null }, l1)).statusCode,
    ).toBe(403);
    const [row] = await t.database.rows<{ lines: string[] }>(
      sql`select lines from agent_states where staff_id = ${await agentId('l1')}`,
    );
    expect(row?.lines).toEqual(['l1']);
  });
});
