import { sql } from 'drizzle-orm';
import type { Role, SignedInStaff } from '../../common/api/staff.js';
import type { AccountState, SubscriberCard } from '../../common/api/subscribers.js';
import { auditRowsFrom } from '../audit/service.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { connectionJsonOf } from '../network/service.js';
import { type AddressParts, formatAddress } from '../places/address.js';
import { seesMoney } from '../subscribers/masking.js';
import { isoDate } from '../subscribers/service.js';

/** One row of the card statement: each part already shaped as JSON by PostgreSQL. */
interface CardRow {
  holder: {
    kind: 'person' | 'organisation';
    surname: string | null;
    firstName: string | null;
    patronymic: string | null;
    birthDate: string | null;
    orgName: string | null;
    inn: string | null;
    email: string | null;
    hasCodeWord: boolean;
    phones: { phone: string; kind: string; isPrimary: boolean }[];
  } | null;
  main: {
    account: { id: number; number: string; balanceKopecks: number; state: AccountState; openedOn: string };
    contract: { id: number; number: string; signedOn: string; apartment: string | null };
    address: AddressRow;
    tariff: { id: number; code: string; name: string; downloadMbps: number; monthlyFeeKopecks: number | null };
    announced: { effectiveFrom: string; monthlyFeeKopecks: number; announcedAt: string }[];
    history: { tariffName: string; validFrom: string; validTo: string | null }[];
    ledger: NonNullable<SubscriberCard['lastLedgerEntries']>;
    equipment: SubscriberCard['equipment'];
    connection: SubscriberCard['connection'];
  } | null;
  others: { id: number; number: string; address: AddressRow; apartment: string | null }[];
}

/** The building part of an address (the flat is the contract's). */
type AddressRow = Omit<AddressParts, 'apartment'> & { buildingId: number };

const addressJson = sql`json_build_object('buildingId', b.id, 'city', st.city, 'streetType', st.street_type,
  'street', st.name, 'house', b.house, 'korpus', b.korpus, 'stroenie', b.stroenie, 'litera', b.litera)`;

/**
 * Everything the card shows, in full, and its audit row (opening a card is an access to personal
 * data: who, when, which subscriber, from where), as ONE statement: the audit row is written by a
 * data-modifying CTE, so no card is read without its row, and the card costs one round trip with
 * a plan prepared once per connection (budget in docs/benchmarks.md: p95 ≤ 30 ms at 1 M subscribers).
 * The account shown is the requested one, or the subscriber's first.
 */
export async function openSubscriberCard(
  ctx: AppContext,
  me: SignedInStaff,
  subscriberId: number,
  requestedAccountId: number | undefined,
  ip: string,
): Promise<SubscriberCard> {
  const today = isoDate(ctx.clock());
  const [row] = await ctx.database.named<CardRow>(
    'subscriber_card',
    sql`with shown as (
      select a.id, a.tariff_id, c.id as contract_id, c.building_id
      from accounts a join contracts c on c.account_id = a.id
      where a.subscriber_id = ${subscriberId}::int and (${requestedAccountId ?? null}::int is null or a.id = ${requestedAccountId ?? null}::int)
      order by a.id limit 1
    ), audited as (
      ${auditRowsFrom(sql`shown`, {
        staffId: me.id,
        action: 'subscriber.card_opened',
        targetType: 'subscriber',
        targetId: String(subscriberId),
        ip,
        details: sql`jsonb_build_object('accountId', shown.id)`,
      })}
    )
    select
      (select json_build_object('kind', s.kind, 'surname', s.surname, 'firstName', s.first_name,
          'patronymic', s.patronymic, 'birthDate', s.birth_date, 'orgName', s.org_name, 'inn', s.inn,
          'email', s.email, 'hasCodeWord', s.code_word_hash is not null,
          'phones', coalesce((select json_agg(json_build_object('phone', p.phone, 'kind', p.kind,
              'isPrimary', p.is_primary = 1) order by p.is_primary desc, p.id)
            from subscriber_phones p where p.subscriber_id = s.id), '[]'))
        from subscribers s where s.id = ${subscriberId}::int) as holder,
      (select json_build_object(
          'account', json_build_object('id', a.id, 'number', a.number, 'balanceKopecks', a.balance_kopecks,
            'state', a.state, 'openedOn', a.opened_on),
          'contract', json_build_object('id', c.id, 'number', c.number, 'signedOn', c.signed_on,
            'apartment', c.apartment),
          'address', ${addressJson},
          'tariff', json_build_object('id', t.id, 'code', t.code, 'name', t.name, 'downloadMbps', t.download_mbps,
            'monthlyFeeKopecks', (select tp.monthly_fee_kopecks from tariff_prices tp
              where tp.tariff_id = t.id and tp.effective_from <= ${today}::date
              order by tp.effective_from desc limit 1)),
          'announced', coalesce((select json_agg(json_build_object('effectiveFrom', tp.effective_from,
              'monthlyFeeKopecks', tp.monthly_fee_kopecks, 'announcedAt', tp.announced_at) order by tp.effective_from)
            from tariff_prices tp where tp.tariff_id = t.id and tp.effective_from > ${today}::date), '[]'),
          'history', coalesce((select json_agg(json_build_object('tariffName', ht.name, 'validFrom', h.valid_from,
              'validTo', h.valid_to) order by h.valid_from desc)
            from account_tariffs h join tariffs ht on ht.id = h.tariff_id where h.account_id = a.id), '[]'),
          'ledger', coalesce((select json_agg(json_build_object('id', l.id, 'kind', l.kind,
              'amountKopecks', l.amount_kopecks, 'occurredAt', l.occurred_at, 'description', l.description)
              order by l.occurred_at desc, l.id desc)
            from (select * from ledger_entries where account_id = a.id
              order by occurred_at desc, id desc limit 10) l), '[]'),
          'equipment', coalesce((select json_agg(json_build_object('id', e.id, 'kind', e.kind, 'model', e.model,
              'mac', e.mac, 'serial', e.serial, 'ownership', e.ownership, 'installedOn', e.installed_on) order by e.id)
            from equipment e where e.account_id = a.id), '[]'),
          'connection', ${connectionJsonOf(sql`a.id`)})
        from shown
        join accounts a on a.id = shown.id
        join contracts c on c.id = shown.contract_id
        join buildings b on b.id = shown.building_id
        join streets st on st.id = b.street_id
        join tariffs t on t.id = shown.tariff_id) as main,
      coalesce((select json_agg(json_build_object('id', a.id, 'number', a.number, 'address', ${addressJson},
          'apartment', c.apartment) order by a.id)
        from accounts a
        join contracts c on c.account_id = a.id
        join buildings b on b.id = c.building_id
        join streets st on st.id = b.street_id
        where a.subscriber_id = ${subscriberId}::int and a.id <> (select id from shown)), '[]') as others`,
    { plan: 'generic' },
  );
  const holder = row?.holder;
  if (!holder) throw new Problem('subscriber.not_found', 404, 'No such subscriber');
  const main = row.main;
  if (!main) {
    throw requestedAccountId === undefined
      ? new Problem('account.not_found', 404, 'This subscriber has no account')
      : new Problem('account.not_found', 404, 'This subscriber has no such account');
  }

  const displayName =
    holder.kind === 'organisation'
      ? (holder.orgName ?? '')
      : [holder.surname, holder.firstName, holder.patronymic].filter(Boolean).join(' ');
  const openHistory = main.history.find((entry) => entry.validTo === null);
  const card: SubscriberCard = {
    id: subscriberId,
    kind: holder.kind,
    holder: {
      surname: holder.surname,
      firstName: holder.firstName,
      patronymic: holder.patronymic,
      birthDate: holder.birthDate,
      orgName: holder.orgName,
      inn: holder.inn,
      displayName,
      email: holder.email,
      phones: holder.phones,
      hasCodeWord: holder.hasCodeWord,
    },
    contract: { id: main.contract.id, number: main.contract.number, signedOn: main.contract.signedOn },
    account: main.account,
    address: {
      ...main.address,
      apartment: main.contract.apartment,
      text: formatAddress({ ...main.address, apartment: main.contract.apartment }),
    },
    otherAccounts: row.others.map((other) => ({
      id: other.id,
      number: other.number,
      address: formatAddress({ ...other.address, apartment: other.apartment }),
    })),
    tariff: {
      current: { ...main.tariff, monthlyFeeKopecks: main.tariff.monthlyFeeKopecks ?? 0 },
      since: openHistory?.validFrom ?? main.account.openedOn,
      announced: main.announced.map((entry) => ({ ...entry, announcedAt: new Date(entry.announcedAt).toISOString() })),
      history: main.history,
    },
    lastLedgerEntries: main.ledger.map((entry) => ({
      ...entry,
      occurredAt: new Date(entry.occurredAt).toISOString(),
    })),
    equipment: main.equipment,
    connection: main.connection,
  };
  return cardShownTo(me.role, card);
}

/**
 * A field technician goes to the door: the card gives them what a visit needs (address,
 * connection, equipment, the holder's contact phones) and leaves out the money (balance, payments)
 * and the birth date, which a visit never needs and a technician's phone may lose. The server
 * leaves the fields out, so no screen can show them by mistake (docs/security.md).
 */
export function cardShownTo(role: Role, card: SubscriberCard): SubscriberCard {
  if (seesMoney(role)) return card;
  const { birthDate: _birthDate, ...holder } = card.holder;
  const { balanceKopecks: _balance, ...account } = card.account;
  const { lastLedgerEntries: _ledger, ...rest } = card;
  return { ...rest, holder, account };
}
