import { type SQL, sql } from 'drizzle-orm';
import type { CallerQuery } from './caller-query.js';
import {
  anyOf,
  type CandidateRow,
  candidatesOfAccounts,
  type Fetched,
  placeOnCityPlan,
  type StatementBudget,
} from './candidates.js';

/** Rows an exact identifier may name (a phone shared by a family, an e-mail shared by a firm). */
const EXACT_CAP = 100;

const fieldOf = (field: string) => sql.raw(`'${field}'::text`);

/**
 * Everyone an exact identifier names, each row with `fields` (the identifiers it matched), in one
 * statement: each identifier on its own index. The statement is prepared once per connection for
 * each combination of identifier kinds (the values are array parameters, so its text never
 * varies): planning it cost more than running it.
 */
export async function findByIdentifiers(budget: StatementBudget, query: CallerQuery): Promise<Fetched[]> {
  const hits: SQL[] = [];
  const kinds: string[] = [];
  if (query.accountNumbers.length) {
    kinds.push('account');
    hits.push(
      sql`select a.id as account_id, ${fieldOf('account')} as field from accounts a where a.number = ${anyOf(query.accountNumbers, 'text')}`,
    );
  }
  if (query.contracts.length) {
    // The serial alone is unique across years, so a misremembered year still finds the contract.
    const serials = query.contracts.map((contract) => String(contract.serial).padStart(6, '0'));
    kinds.push('contract');
    hits.push(
      sql`select c.account_id, ${fieldOf('contract')} as field from contracts c where split_part(c.number, '-', 3) = ${anyOf(serials, 'text')}`,
    );
  }
  if (query.phones.length) {
    kinds.push('phone');
    hits.push(sql`select a.id as account_id, ${fieldOf('phone')} as field from subscriber_phones p
      join accounts a on a.subscriber_id = p.subscriber_id where p.phone = ${anyOf(query.phones, 'text')}`);
  }
  if (query.emails.length) {
    kinds.push('email');
    hits.push(sql`select a.id as account_id, ${fieldOf('email')} as field from subscribers s
      join accounts a on a.subscriber_id = s.id where lower(s.email) = ${anyOf(query.emails, 'text')}`);
  }
  if (query.inns.length) {
    kinds.push('inn');
    hits.push(sql`select a.id as account_id, ${fieldOf('inn')} as field from subscribers s
      join accounts a on a.subscriber_id = s.id where s.inn = ${anyOf(query.inns, 'text')}`);
  }
  budget.statements++;
  const rows = await budget.ctx.database.named<CandidateRow>(
    `identify_by_${kinds.join('_')}`,
    candidatesOfAccounts(
      sql`select account_id, array_agg(distinct field) as fields from (${sql.join(hits, sql` union all `)}) hit
          group by account_id limit ${EXACT_CAP}`,
    ),
    // Every value takes the same index path; planning per value cost more than running (caller ID).
    { plan: 'generic' },
  );
  return placeOnCityPlan(budget, rows);
}
