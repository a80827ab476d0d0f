import { asc, type SQL, sql } from 'drizzle-orm';
import type { Role } from '../../common/api/staff.js';
import type { SubscriberList, SubscriberListItem, SubscriberListQuery, Tariff } from '../../common/api/subscribers.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { escapeLike, fold } from '../core/text.js';
import { type AddressParts, formatAddress } from '../places/address.js';
import { type HolderName, maskDate, maskPhone, nameInLists, seesMoney, showsInFull } from './masking.js';
import { tariffPrices, tariffs } from './schema.js';

/**
 * Lists count exactly up to here; past it the total reads "more than 1,000". An operator narrows
 * a search long before the 21st page, and an exact count of a broad filter costs more at 1 M rows
 * than the page itself (docs/benchmarks.md).
 */
export const LIST_TOTAL_CAP = 1_000;

/**
 * The first string past every string that starts with `prefix`, in byte (COLLATE "C") order:
 * `key >= prefix and key < upper` is the prefix LIKE as an index range that a prepared statement's
 * generic plan can still use (a LIKE pattern in a parameter cannot be turned into one).
 */
export function prefixUpperBound(prefix: string): string | null {
  const points = [...prefix];
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last === 0x10ffff) continue;
    const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
    return points.join('') + String.fromCodePoint(next);
  }
  return null;
}

export function isoDate(value: Date | string): string {
  return typeof value === 'string' ? value : value.toISOString().slice(0, 10);
}

/** The price of a tariff on a day: the latest price row that has taken effect by then. */
export function currentPriceSql(day: string) {
  return sql<number>`(select ${tariffPrices.monthlyFeeKopecks} from ${tariffPrices}
    where ${tariffPrices.tariffId} = ${tariffs.id} and ${tariffPrices.effectiveFrom} <= ${day}
    order by ${tariffPrices.effectiveFrom} desc limit 1)`;
}

export async function listTariffs(ctx: AppContext): Promise<Tariff[]> {
  const today = isoDate(ctx.clock());
  const rows = await ctx.database.db
    .select({
      id: tariffs.id,
      code: tariffs.code,
      name: tariffs.name,
      downloadMbps: tariffs.downloadMbps,
      monthlyFeeKopecks: currentPriceSql(today),
    })
    .from(tariffs)
    .orderBy(asc(tariffs.downloadMbps), asc(tariffs.id));
  return rows.map((row) => ({ ...row, monthlyFeeKopecks: Number(row.monthlyFeeKopecks ?? 0) }));
}

/** Where a page starts: just after (or before) one row of the list, in its sort order. */
export interface ListCursor {
  direction: 'after' | 'before';
  sortKey: string;
  subscriberId: number;
  accountId: number;
}

const maxId = 2_147_483_647;
const isId = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= maxId;

/** Opaque to clients: base64url of `["a"|"b", sortKey, subscriberId, accountId]`. */
export function encodeListCursor(cursor: ListCursor): string {
  const tuple = [cursor.direction === 'after' ? 'a' : 'b', cursor.sortKey, cursor.subscriberId, cursor.accountId];
  return Buffer.from(JSON.stringify(tuple)).toString('base64url');
}

/** Only a cursor this server could have written is accepted; anything else is a 400. */
export function decodeListCursor(text: string): ListCursor {
  const bad = () => new Problem('subscriber.bad_cursor', 400, 'This is not a page cursor the server gave');
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) throw bad();
  let tuple: unknown;
  try {
    tuple = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw bad();
  }
  if (!Array.isArray(tuple) || tuple.length !== 4) throw bad();
  const [direction, sortKey, subscriberId, accountId] = tuple as unknown[];
  if (direction !== 'a' && direction !== 'b') throw bad();
  if (typeof sortKey !== 'string' || sortKey.length > 1_000 || sortKey.includes('\u0000')) throw bad();
  if (!isId(subscriberId) || !isId(accountId)) throw bad();
  return { direction: direction === 'a' ? 'after' : 'before', sortKey, subscriberId, accountId };
}

/** A prefix filter as an index range over a COLLATE "C" key (see prefixUpperBound). */
function prefixRange(column: SQL, prefix: string): SQL {
  const upper = prefixUpperBound(prefix);
  return upper === null
    ? sql`${column} like ${`${escapeLike(prefix)}%`}`
    : sql`${column} >= ${prefix} and ${column} < ${upper}`;
}

/**
 * The filters split by the table they read, so each statement joins only what it needs, and a
 * short signature of which filters are set: it names the prepared statement (one SQL text per name,
 * values always in parameters). The name filter reads the account's copy of its holder's sort key
 * (migration 0005), so only the subscriber kind needs `subscribers`.
 */
function listFilters(query: SubscriberListQuery) {
  const holder: SQL[] = [];
  const account: SQL[] = [];
  const address: SQL[] = [];
  let signature = '';
  const surname = query.surname?.trim() ? fold(query.surname.trim()) : '';
  if (surname) {
    account.push(prefixRange(sql`a.sort_key`, surname));
    signature += 'n';
  }
  if (query.kind) {
    holder.push(sql`s.kind = ${query.kind}`);
    signature += 'k';
  }
  const street = query.street?.trim() ? fold(query.street.trim()) : '';
  if (street) {
    address.push(prefixRange(sql`st.name_norm`, street));
    signature += 's';
  }
  if (query.house?.trim()) {
    address.push(sql`lower(b.house) = ${query.house.trim().toLowerCase()}`);
    signature += 'h';
  }
  const accountNumber = query.accountNumber?.replace(/\s+/g, '') ?? '';
  if (accountNumber) {
    // Account numbers are digits: the range is exact in any collation, the LIKE keeps it exact anyway.
    const upper = prefixUpperBound(accountNumber);
    account.push(sql`a.number like ${`${escapeLike(accountNumber)}%`}`);
    if (upper !== null) account.push(sql`a.number >= ${accountNumber} and a.number < ${upper}`);
    signature += upper === null ? 'A' : 'a';
  }
  if (query.state) {
    account.push(sql`a.state = ${query.state}`);
    signature += 'x';
  }
  if (query.tariffId) {
    account.push(sql`a.tariff_id = ${query.tariffId}`);
    signature += 't';
  }
  if (query.inDebt === true) {
    account.push(sql`a.balance_kopecks < 0`);
    signature += 'D';
  }
  if (query.inDebt === false) {
    account.push(sql`a.balance_kopecks >= 0`);
    signature += 'P';
  }
  if (address.length > 0) {
    address.splice(
      0,
      address.length,
      sql`c.building_id in (select b.id from buildings b join streets st on st.id = b.street_id
        where ${sql.join(address, sql` and `)})`,
    );
  }
  return { holder, account, address, signature };
}

const whereAll = (conditions: SQL[]) =>
  conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;

interface ListRow extends AddressParts, HolderName {
  sortKey: string;
  id: number;
  birthDate: string | null;
  accountId: number;
  accountNumber: string;
  balanceKopecks: number | string;
  state: SubscriberListItem['state'];
  tariffName: string;
  contractNumber: string;
  phone: string | null;
}

/**
 * The subscriber list: one row per account, sorted by the holder's name (the sort key, then
 * subscriber and account id), with personal data masked per role (masking.ts). Pages are keyset
 * pages: a cursor names the row a page starts after (or ends before), so page 2,000 costs what
 * page 1 does, where OFFSET computed and threw away every row before it. The order, the name and
 * state filters and the cursor are one range of `accounts_list_idx` or `accounts_state_list_idx`
 * (migration 0005). The total is exact up to LIST_TOTAL_CAP. Both statements are named prepared
 * statements: at 1 M rows planning the joins cost more than running them.
 */
export async function listSubscribers(
  ctx: AppContext,
  role: Role,
  query: SubscriberListQuery,
): Promise<SubscriberList> {
  // A debt filter would tell a field technician who owes what, which the list leaves out for them.
  if (query.inDebt !== undefined && !seesMoney(role)) {
    throw new Problem('subscriber.money_hidden', 403, 'Your role does not see balances');
  }
  const limit = query.limit ?? 50;
  const offset = query.offset ?? 0;
  const cursor = query.cursor === undefined ? undefined : decodeListCursor(query.cursor);
  const filters = listFilters(query);
  const backwards = cursor?.direction === 'before';

  const keyset: SQL[] = [];
  if (cursor) {
    const { sortKey, subscriberId, accountId } = cursor;
    keyset.push(
      backwards
        ? sql`(a.sort_key, a.subscriber_id, a.id) < (${sortKey}, ${subscriberId}, ${accountId})`
        : sql`(a.sort_key, a.subscriber_id, a.id) > (${sortKey}, ${subscriberId}, ${accountId})`,
    );
  }
  const order = backwards
    ? sql`a.sort_key desc, a.subscriber_id desc, a.id desc`
    : sql`a.sort_key, a.subscriber_id, a.id`;
  // One row more than the page says whether there is a page beyond it. Only the keys are found
  // first; the page's 50 rows are then joined to what they show, and their phones looked up.
  const pageQuery = sql`
    select p.sort_key as "sortKey", s.id, s.kind, s.surname, s.first_name as "firstName", s.patronymic,
      s.org_name as "orgName", s.birth_date::text as "birthDate", a.id as "accountId", a.number as "accountNumber",
      a.balance_kopecks as "balanceKopecks", a.state, t.name as "tariffName", c.number as "contractNumber",
      c.apartment, st.city, st.street_type as "streetType", st.name as street, b.house, b.korpus, b.stroenie,
      b.litera,
      (select ph.phone from subscriber_phones ph where ph.subscriber_id = s.id
        order by ph.is_primary desc, ph.id limit 1) as phone
    from (
      select a.subscriber_id as id, a.sort_key, a.id as account_id
      from accounts a
      ${filters.holder.length > 0 ? sql`join subscribers s on s.id = a.subscriber_id` : sql``}
      join contracts c on c.account_id = a.id
      ${whereAll([...filters.holder, ...filters.account, ...filters.address, ...keyset])}
      order by ${order}
      limit ${sql.raw(String(limit + 1))} offset ${sql.raw(String(offset))}
    ) p
    join subscribers s on s.id = p.id
    join accounts a on a.id = p.account_id
    join contracts c on c.account_id = a.id
    join buildings b on b.id = c.building_id
    join streets st on st.id = b.street_id
    join tariffs t on t.id = a.tariff_id
    order by p.sort_key, p.id, p.account_id`;

  // The count joins only what the filters read: with account filters alone (name, state) it is an
  // index-only scan of accounts (2 ms for a state at 1 M, against 100-200 ms through the join).
  const countQuery = sql`select count(*)::int as n from (
      select 1 from accounts a
      ${filters.holder.length > 0 ? sql`join subscribers s on s.id = a.subscriber_id` : sql``}
      ${filters.address.length > 0 ? sql`join contracts c on c.account_id = a.id` : sql``}
      ${whereAll([...filters.holder, ...filters.account, ...filters.address])}
      limit ${sql.raw(String(LIST_TOTAL_CAP + 1))}
    ) capped`;

  // The page size and offset are written into the statement (both validated integers, so a few
  // texts): a generic plan cannot know a LIMIT given as a parameter and plans for a tenth of the
  // table, a sort of a million rows. With them written in, the name, state and cursor ranges keep
  // the same plan for every value, so those statements skip planning (it cost more than running).
  const shape = `${filters.signature || '0'}_${cursor ? (backwards ? 'b' : 'f') : '0'}_${limit}_${offset}`;
  const plan = { plan: 'generic' } as const;
  const [found, counted] = await Promise.all([
    ctx.database.named<ListRow>(`subscriber_list_${shape}`, pageQuery, plan),
    ctx.database.named<{ n: number }>(`subscriber_list_count_${filters.signature || '0'}`, countQuery, plan),
  ]);
  const more = found.length > limit;
  // Back at the start of the list with less than a page before the cursor (rows came or went):
  // the first page, full, rather than a short one.
  if (backwards && !more && found.length < limit) {
    return listSubscribers(ctx, role, { ...query, cursor: undefined, offset: 0 });
  }
  const rows = more ? (backwards ? found.slice(1) : found.slice(0, limit)) : found;
  const total = Number(counted[0]?.n ?? 0);

  const first = rows[0];
  const last = rows.at(-1);
  const cursorAt = (row: ListRow, direction: ListCursor['direction']) =>
    encodeListCursor({ direction, sortKey: row.sortKey, subscriberId: row.id, accountId: row.accountId });
  // Backwards, "more" means more before; forwards, more after. A page reached from a cursor or an
  // offset has rows on the side it came from.
  const hasPrevious = backwards ? more : Boolean(cursor) || offset > 0;
  const hasNext = backwards ? true : more;

  const items: SubscriberListItem[] = rows.map((row) => ({
    id: row.id,
    accountId: row.accountId,
    kind: row.kind,
    name: nameInLists(row),
    accountNumber: row.accountNumber,
    contractNumber: row.contractNumber,
    address: formatAddress(row, showsInFull(role, 'apartment') ? 'full' : 'masked'),
    phone: row.phone ? (showsInFull(role, 'phone') ? row.phone : maskPhone(row.phone)) : null,
    birthDate: row.birthDate ? (showsInFull(role, 'birthDate') ? row.birthDate : maskDate(row.birthDate)) : null,
    ...(seesMoney(role) ? { balanceKopecks: Number(row.balanceKopecks) } : {}),
    state: row.state,
    tariffName: row.tariffName,
  }));
  return {
    items,
    total: Math.min(total, LIST_TOTAL_CAP),
    totalIsCapped: total > LIST_TOTAL_CAP,
    previousCursor: hasPrevious && first ? cursorAt(first, 'before') : null,
    nextCursor: hasNext && last ? cursorAt(last, 'after') : null,
  };
}

/**
 * Subscribers' names as lists show them (surname and initials, or the organisation's name), for
 * screens that name a subscriber by id, such as the audit log. Unknown ids are left out.
 */
export async function subscriberNamesOf(ctx: AppContext, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.database.rows<
    HolderName & { id: number }
  >(sql`select id, kind, surname, first_name as "firstName", patronymic, org_name as "orgName"
    from subscribers where id = any(${`{${ids.map(Number).join(',')}}`}::int[])`);
  return new Map(rows.map((row) => [row.id, nameInLists(row)]));
}
