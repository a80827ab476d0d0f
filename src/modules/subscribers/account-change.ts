import { type SQL, sql } from 'drizzle-orm';
import type { AccountChangeRequest, AccountChangeResult, AccountState } from '../../common/api/subscribers.js';
import type { Db } from '../../db/connection.js';
import { recordAudit } from '../audit/service.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { scheduleJob } from '../jobs/service.js';
import { isoDate } from './service.js';

/**
 * The event of an account's state or tariff changed, as a durable job scheduled in the change's
 * transaction: it exists if and only if the change commits. nas-sessions handles it (the NASes
 * are told); the payload is `AccountChanged`.
 */
export const ACCOUNT_CHANGED_JOB = 'subscribers.account-changed';

export interface AccountChanged {
  accountId: number;
  subscriberId: number;
  /** Numbered under the account's row lock: of two changes of one account, the later commit is higher. */
  changeNumber: number;
  /** A state change (blocked, unblocked…) needs the session to re-authenticate; a tariff only its speed. */
  reason: 'account-state' | 'tariff';
}

interface AccountRow {
  id: number;
  state: AccountState;
  tariff_id: number;
}

const rowsOf = async <T>(db: Db, query: SQL) => ((await db.execute(query)) as unknown as { rows: T[] }).rows;

/**
 * An administrator sets an account's state or tariff by hand (until billing does it), with a
 * reason. One transaction: the account locked, changed, its tariff history moved on, the audit row
 * and the event written. Two administrators at once: the second waits for the first and changes
 * what the first left; asking for what already is gives 409, so nothing is audited that did not
 * happen.
 */
export async function changeAccount(
  ctx: AppContext,
  me: { id: number },
  subscriberId: number,
  request: AccountChangeRequest,
  ip: string | null,
): Promise<AccountChangeResult> {
  const now = ctx.clock();
  const today = isoDate(now);
  return ctx.database.db.transaction(async (tx) => {
    const [account] = await rowsOf<AccountRow>(
      tx,
      sql`select id, state, tariff_id from accounts
          where subscriber_id = ${subscriberId} and (${request.accountId ?? null}::int is null or id = ${request.accountId ?? null}::int)
          order by id limit 1 for update`,
    );
    if (!account) {
      const [subscriber] = await rowsOf<{ id: number }>(tx, sql`select id from subscribers where id = ${subscriberId}`);
      if (!subscriber) throw new Problem('subscriber.not_found', 404, 'No such subscriber');
      throw new Problem('account.not_found', 404, 'This subscriber has no such account');
    }
    const changes: { field: 'state' | 'tariff'; from: unknown; to: unknown }[] = [];
    if (request.state !== undefined && request.state !== account.state) {
      changes.push({ field: 'state', from: account.state, to: request.state });
    }
    const tariffId = request.tariffId ?? account.tariff_id;
    const [tariff] = await rowsOf<{ id: number; name: string; is_archived: number }>(
      tx,
      sql`select id, name, is_archived from tariffs where id = ${tariffId}`,
    );
    if (tariffId !== account.tariff_id) {
      if (tariff?.is_archived !== 0) {
        throw new Problem('account.tariff_not_offered', 409, 'This tariff is not offered', 'Choose a current tariff.');
      }
      const [before] = await rowsOf<{ name: string }>(
        tx,
        sql`select name from tariffs where id = ${account.tariff_id}`,
      );
      changes.push({ field: 'tariff', from: before?.name ?? account.tariff_id, to: tariff.name });
    }
    if (changes.length === 0) {
      throw new Problem(
        'account.nothing_to_change',
        409,
        'The account already is so',
        'Someone may have made this change meanwhile: reload the card.',
      );
    }
    const state = request.state ?? account.state;
    await tx.execute(sql`update accounts set state = ${state}, tariff_id = ${tariffId} where id = ${account.id}`);
    if (tariffId !== account.tariff_id) {
      await tx.execute(
        sql`update account_tariffs set valid_to = ${today} where account_id = ${account.id} and valid_to is null`,
      );
      await tx.execute(
        sql`insert into account_tariffs (account_id, tariff_id, valid_from) values (${account.id}, ${tariffId}, ${today})`,
      );
    }
    const [numbered] = await rowsOf<{ n: string }>(tx, sql`select nextval('account_change_seq')::text as n`);
    const event: AccountChanged = {
      accountId: account.id,
      subscriberId,
      changeNumber: Number(numbered?.n),
      reason: changes.some((change) => change.field === 'state') ? 'account-state' : 'tariff',
    };
    await recordAudit(
      tx,
      {
        staffId: me.id,
        action: 'subscribers.account-changed',
        targetType: 'subscriber',
        targetId: subscriberId,
        ip,
        details: { accountId: account.id, reason: request.reason, changes },
      },
      now,
    );
    await scheduleJob(tx, { kind: ACCOUNT_CHANGED_JOB, runAt: now, payload: { ...event } });
    return { accountId: account.id, state, tariffId, tariffName: tariff?.name ?? '' };
  });
}
