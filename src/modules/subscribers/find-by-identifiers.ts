import { type SQL, sql } from 'drizzle-orm';
import type { CallerQuery } from './caller-query.js';
import { noFit, type Scored } from './candidate-fit.js';
import { type CandidateRow, candidateColumns, enrich, inList, type Search } from './candidates.js';

/** Rows an exact identifier may name (a phone shared by a family, an e-mail shared by a firm). */
const EXACT_CAP = 100;

const fieldOf = (field: string) => sql.raw(`'${field}'::text`);

/** Everyone an exact identifier names, in one statement: each identifier on its own index. */
export async function findByIdentifiers(search: Search, query: CallerQuery): Promise<Scored[]> {
  const hits: SQL[] = [];
  if (query.accountNumbers.length) {
    hits.push(
      sql`select a.id as account_id, ${fieldOf('account')} as field from accounts a where a.number in (${inList(query.accountNumbers)})`,
    );
  }
  if (query.contracts.length) {
    // The serial alone is unique across years, so a misremembered year still finds the contract.
    const serials = query.contracts.map((contract) => String(contract.serial).padStart(6, '0'));
    hits.push(
      sql`select c.account_id, ${fieldOf('contract')} as field from contracts c where split_part(c.number, '-', 3) in (${inList(serials)})`,
    );
  }
  if (query.phones.length) {
    hits.push(sql`select a.id as account_id, ${fieldOf('phone')} as field from subscriber_phones p
      join accounts a on a.subscriber_id = p.subscriber_id where p.phone in (${inList(query.phones)})`);
  }
  if (query.emails.length) {
    hits.push(sql`select a.id as account_id, ${fieldOf('email')} as field from subscribers s
      join accounts a on a.subscriber_id = s.id where lower(s.email) in (${inList(query.emails)})`);
  }
  if (query.inns.length) {
    hits.push(sql`select a.id as account_id, ${fieldOf('inn')} as field from subscribers s
      join accounts a on a.subscriber_id = s.id where s.inn in (${inList(query.inns)})`);
  }
  search.statements++;
  const rows = await search.ctx.database.rows<CandidateRow>(sql`
    select ${candidateColumns}, h.fields
    from (select account_id, array_agg(distinct field) as fields from (${sql.join(hits, sql` union all `)}) hit
          group by account_id limit ${EXACT_CAP}) h
    join accounts a on a.id = h.account_id
    join subscribers s on s.id = a.subscriber_id
    join contracts c on c.account_id = a.id
    join buildings b on b.id = c.building_id
    order by s.sort_key, s.id, a.id`);
  return (await enrich(search, rows)).map((row) => {
    const matched = [...(row.fields ?? [])].sort();
    return { row, fit: noFit(), score: 100 + matched.length, matched };
  });
}
