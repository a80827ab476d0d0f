import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/connection.js';
import type { AddressParts } from '../../places/address.js';

/**
 * The records the labelled query set (labelled-set.ts) is made from and the caller answers from
 * (measure.ts), read from a demo database. Their own file: the ways of saying things (forms.ts)
 * and the set both need them.
 */

/** One account of a subscriber, with everything a query or an answer can be made from. */
export interface SubscriberFacts extends Omit<AddressParts, 'city'> {
  subscriberId: number;
  kind: 'person' | 'organisation';
  surname: string | null;
  firstName: string | null;
  patronymic: string | null;
  orgName: string | null;
  inn: string | null;
  email: string | null;
  birthYear: number | null;
  /** E.164, the primary first. */
  phones: string[];
  accountNumber: string;
  contractNumber: string;
}

export async function loadSubscriberFacts(database: Database): Promise<SubscriberFacts[]> {
  // Two plain reads merged here: a correlated phone subquery per row is slow on PGlite.
  const [accounts, phones] = await Promise.all([
    database.rows<Omit<SubscriberFacts, 'phones'>>(sql`
      select s.id as "subscriberId", s.kind, s.surname, s.first_name as "firstName", s.patronymic,
        s.org_name as "orgName", s.inn, s.email, extract(year from s.birth_date)::int as "birthYear",
        a.number as "accountNumber", c.number as "contractNumber",
        st.street_type as "streetType", st.name as street, b.house, b.korpus, b.stroenie, b.litera, c.apartment
      from subscribers s
      join accounts a on a.subscriber_id = s.id
      join contracts c on c.account_id = a.id
      join buildings b on b.id = c.building_id
      join streets st on st.id = b.street_id
      order by a.id`),
    database.rows<{ subscriber_id: number; phone: string }>(
      sql`select subscriber_id, phone from subscriber_phones order by subscriber_id, is_primary desc, id`,
    ),
  ]);
  const phonesOf = new Map<number, string[]>();
  for (const row of phones) {
    const list = phonesOf.get(row.subscriber_id);
    if (list) list.push(row.phone);
    else phonesOf.set(row.subscriber_id, [row.phone]);
  }
  return accounts.map((row) => ({ ...row, phones: phonesOf.get(row.subscriberId) ?? [] }));
}
