import { eq } from 'drizzle-orm';
import type { AccountState } from '../../common/api/subscribers.js';
import type { AppContext } from '../core/context.js';
import { accounts, tariffs } from './schema.js';

/** What the network needs to know of an account to serve it: whether it may, and how fast. */
export interface AccountProfile {
  accountId: number;
  subscriberId: number;
  accountNumber: string;
  state: AccountState;
  tariffCode: string;
  downloadMbps: number;
}

/** An account's state and its tariff's speed, for the RADIUS server's authorize call and CoA; null for none. */
export async function accountProfileOf(ctx: AppContext, accountId: number): Promise<AccountProfile | null> {
  const [row] = await ctx.database.db
    .select({
      accountId: accounts.id,
      subscriberId: accounts.subscriberId,
      accountNumber: accounts.number,
      state: accounts.state,
      tariffCode: tariffs.code,
      downloadMbps: tariffs.downloadMbps,
    })
    .from(accounts)
    .innerJoin(tariffs, eq(tariffs.id, accounts.tariffId))
    .where(eq(accounts.id, accountId));
  return row ?? null;
}
