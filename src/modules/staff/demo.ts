import type { Role } from '../../common/api/staff.js';
import type { Database } from '../../db/connection.js';
import { hashPassword } from './passwords.js';
import { staff } from './schema.js';

/** One login per role, password `demo`: created only together with demo data, never in production. */
export const demoStaff: { login: Role; fullName: string }[] = [
  { login: 'l1', fullName: 'Анна Первова (1-я линия)' },
  { login: 'l2', fullName: 'Борис Вторых (2-я линия)' },
  { login: 'l3', fullName: 'Виктор Третьяков (NOC)' },
  { login: 'supervisor', fullName: 'Галина Старшова (супервайзер)' },
  { login: 'tech', fullName: 'Дмитрий Монтёров (выездной мастер)' },
  { login: 'admin', fullName: 'Елена Админова (администратор)' },
];

export async function seedDemoStaff(database: Pick<Database, 'db'>) {
  if (process.env.NODE_ENV === 'production') throw new Error('demo logins are never created in production');
  const passwordHash = await hashPassword('demo');
  await database.db
    .insert(staff)
    .values(
      demoStaff.map((member) => ({ login: member.login, fullName: member.fullName, role: member.login, passwordHash })),
    )
    .onConflictDoNothing();
}
