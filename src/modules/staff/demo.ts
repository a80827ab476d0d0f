import { inArray, sql } from 'drizzle-orm';
import type { Role } from '../../common/api/staff.js';
import type { Database } from '../../db/connection.js';
import { defaultLinesOf } from './agent-state.js';
import { hashPassword } from './passwords.js';
import { staff } from './schema.js';

export interface DemoStaffMember {
  login: string;
  fullName: string;
  role: Role;
  /** The PBX extension a call to this agent is connected to (lines' agents only). */
  extension?: string;
}

/**
 * One login per role, password `demo`, and more agents on each line so `npm run simulate` has a
 * queue several people work: created only together with demo data, never in production.
 */
export const demoStaff: DemoStaffMember[] = [
  { login: 'l1', fullName: 'Анна Первова (1-я линия)', role: 'l1', extension: '101' },
  { login: 'l2', fullName: 'Борис Вторых (2-я линия)', role: 'l2', extension: '201' },
  { login: 'l3', fullName: 'Виктор Третьяков (NOC)', role: 'l3', extension: '301' },
  { login: 'supervisor', fullName: 'Галина Старшова (супервайзер)', role: 'supervisor' },
  { login: 'tech', fullName: 'Дмитрий Монтёров (выездной мастер)', role: 'tech' },
  { login: 'admin', fullName: 'Елена Админова (администратор)', role: 'admin' },
  { login: 'l1-2', fullName: 'Мария Соколова (1-я линия)', role: 'l1', extension: '102' },
  { login: 'l1-3', fullName: 'Сергей Кузнецов (1-я линия)', role: 'l1', extension: '103' },
  { login: 'l1-4', fullName: 'Ольга Васильева (1-я линия)', role: 'l1', extension: '104' },
  { login: 'l1-5', fullName: 'Илья Морозов (1-я линия)', role: 'l1', extension: '105' },
  { login: 'l2-2', fullName: 'Павел Лебедев (2-я линия)', role: 'l2', extension: '202' },
  { login: 'l2-3', fullName: 'Наталья Егорова (2-я линия)', role: 'l2', extension: '203' },
  { login: 'l3-2', fullName: 'Андрей Фёдоров (NOC)', role: 'l3', extension: '302' },
];

/** The demo's agents: the logins that work a line. */
export const demoAgents = demoStaff.filter((member) => member.extension !== undefined);

/**
 * The demo logins, and a desk row for every agent (offline since `at`, on their role's line, calls
 * and chats); returns each demo login's id.
 */
export async function seedDemoStaff(
  database: Pick<Database, 'db'>,
  at: Date = new Date(),
): Promise<Map<string, number>> {
  if (process.env.NODE_ENV === 'production') throw new Error('demo logins are never created in production');
  const passwordHash = await hashPassword('demo');
  const { db } = database;
  await db
    .insert(staff)
    .values(demoStaff.map(({ login, fullName, role }) => ({ login, fullName, role, passwordHash })))
    .onConflictDoNothing();
  const rows = await db
    .select({ id: staff.id, login: staff.login })
    .from(staff)
    .where(
      inArray(
        staff.login,
        demoStaff.map((member) => member.login),
      ),
    );
  const ids = new Map(rows.map((row) => [row.login, row.id]));
  const agentRows = demoAgents.map(
    (agent) =>
      sql`(${ids.get(agent.login)}::int, 'offline'::agent_state, ${at}::timestamptz, ${sql.param(defaultLinesOf(agent.role))}::text[], array['call', 'chat'], ${agent.extension})`,
  );
  await db.execute(sql`insert into agent_states (staff_id, state, since, lines, skills, extension)
    values ${sql.join(agentRows, sql`, `)} on conflict (staff_id) do nothing`);
  return ids;
}
