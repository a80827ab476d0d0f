import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { openTestDatabase } from '../../testing/database.js';
import { TEST_DEMO } from '../../testing/demo.js';
import {
  endAllSessionsOf,
  endSession,
  forgetSession,
  forgetSessionsOf,
  resolveSession,
  SESSION_IDLE_MS,
  startSession,
} from './sessions.js';

let database: Database;
let staffId: number;
const now = new Date(`${TEST_DEMO.today}T09:00:00Z`);
const client = { ip: '10.1.2.3', userAgent: 'vitest' };

beforeAll(async () => {
  database = await openTestDatabase();
  const [row] = await database.rows<{ id: number }>(sql`select id from staff where login = 'l2'`);
  staffId = row!.id;
});
afterAll(async () => database?.close());

describe('sessions', () => {
  it('resolves a new session’s token to its staff member, and a made-up token to nobody', async () => {
    const { token, sessionId } = await startSession(database.db, staffId, client, now);
    expect(await resolveSession(database.db, token, now)).toMatchObject({ id: staffId, login: 'l2', sessionId });
    expect(await resolveSession(database.db, 'x'.repeat(43), now)).toBeNull();
  });

  it('forgets an ended session at once in this process', async () => {
    const { token, sessionId } = await startSession(database.db, staffId, client, now);
    expect(await resolveSession(database.db, token, now)).not.toBeNull();
    await endSession(database.db, sessionId, now);
    forgetSession(database.db, sessionId);
    expect(await resolveSession(database.db, token, now)).toBeNull();
  });

  it('forgets every session of a staff member at once when they all end', async () => {
    const first = await startSession(database.db, staffId, client, now);
    const second = await startSession(database.db, staffId, client, now);
    expect(await resolveSession(database.db, first.token, now)).not.toBeNull();
    expect(await resolveSession(database.db, second.token, now)).not.toBeNull();
    await endAllSessionsOf(database.db, staffId, now);
    forgetSessionsOf(database.db, staffId);
    expect(await resolveSession(database.db, first.token, now)).toBeNull();
    expect(await resolveSession(database.db, second.token, now)).toBeNull();
  });

  it('ends a cached session on time once it has been idle too long', async () => {
    const { token } = await startSession(database.db, staffId, client, now);
    expect(await resolveSession(database.db, token, now)).not.toBeNull();
    const later = new Date(now.getTime() + SESSION_IDLE_MS + 1);
    expect(await resolveSession(database.db, token, later)).toBeNull();
  });

  it('sees a revocation written by another server within five seconds', async () => {
    const { token, sessionId } = await startSession(database.db, staffId, client, now);
    expect(await resolveSession(database.db, token, now)).not.toBeNull();
    // Another server ends it: this process is not told, and serves its cached copy a little longer.
    await endSession(database.db, sessionId, now);
    expect(await resolveSession(database.db, token, now)).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    expect(await resolveSession(database.db, token, now)).toBeNull();
  });
});
