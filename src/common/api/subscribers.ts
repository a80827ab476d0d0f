import { type Static, Type } from 'typebox';
import { Nullable, StrictObject, Text } from '../schema-kit.js';

export const accountStates = ['active', 'blocked_debt', 'suspended', 'closed'] as const;
export const AccountStateSchema = Type.Union([
  Type.Literal('active'),
  Type.Literal('blocked_debt'),
  Type.Literal('suspended'),
  Type.Literal('closed'),
]);
export type AccountState = (typeof accountStates)[number];

export const SubscriberListQuery = StrictObject({
  surname: Type.Optional(Text(100)),
  street: Type.Optional(Text(100)),
  house: Type.Optional(Text(20)),
  accountNumber: Type.Optional(Text(20)),
  state: Type.Optional(AccountStateSchema),
  tariffId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
  kind: Type.Optional(Type.Union([Type.Literal('person'), Type.Literal('organisation')])),
  inDebt: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  /** The page after (or before) a row of an earlier answer: its `nextCursor` or `previousCursor`. */
  cursor: Type.Optional(Text(2_000, { minLength: 1, pattern: '^[A-Za-z0-9_-]+$' })),
  /** Rows skipped after the cursor (or from the start); deep pages go by cursor. */
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000, default: 0 })),
});
export type SubscriberListQuery = Static<typeof SubscriberListQuery>;

/**
 * One row of the list: personal data masked per the masking table (surname and initials, street
 * and house; apartment, phone and birth date hidden unless the role may see them).
 */
export const SubscriberListItem = Type.Object({
  id: Type.Integer(),
  accountId: Type.Integer(),
  kind: Type.Union([Type.Literal('person'), Type.Literal('organisation')]),
  name: Type.String(),
  accountNumber: Type.String(),
  contractNumber: Type.String(),
  address: Type.String(),
  phone: Nullable(Type.String()),
  birthDate: Nullable(Type.String()),
  /** Left out for roles that do not see money (field technicians). */
  balanceKopecks: Type.Optional(Type.Integer()),
  state: AccountStateSchema,
  tariffName: Type.String(),
});
export type SubscriberListItem = Static<typeof SubscriberListItem>;

export const SubscriberList = Type.Object({
  items: Type.Array(SubscriberListItem),
  /** Exact up to 1,000; `totalIsCapped` says "more than that". */
  total: Type.Integer(),
  totalIsCapped: Type.Boolean(),
  /** Pass as `cursor` for the page before this one; null on the first page. */
  previousCursor: Nullable(Type.String()),
  /** Pass as `cursor` for the page after this one; null on the last page. */
  nextCursor: Nullable(Type.String()),
});
export type SubscriberList = Static<typeof SubscriberList>;

export const AddressSchema = Type.Object({
  buildingId: Type.Integer(),
  city: Type.String(),
  streetType: Type.String(),
  street: Type.String(),
  house: Type.String(),
  korpus: Nullable(Type.String()),
  stroenie: Nullable(Type.String()),
  litera: Nullable(Type.String()),
  apartment: Nullable(Type.String()),
  /** One line as an operator reads it: "ул. Ленина, д. 5, корп. 2, кв. 12". */
  text: Type.String(),
});
export type Address = Static<typeof AddressSchema>;

export const TariffSchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  downloadMbps: Type.Integer(),
  monthlyFeeKopecks: Type.Integer(),
});
export type Tariff = Static<typeof TariffSchema>;

/**
 * The card. Parts marked "not for a visit" are left out for a field technician, who sees what a
 * visit needs (address, connection, equipment, contact phone) and not the money or the birth date.
 */
export const SubscriberCard = Type.Object({
  id: Type.Integer(),
  kind: Type.Union([Type.Literal('person'), Type.Literal('organisation')]),
  holder: Type.Object({
    surname: Nullable(Type.String()),
    firstName: Nullable(Type.String()),
    patronymic: Nullable(Type.String()),
    /** Not for a visit. */
    birthDate: Type.Optional(Nullable(Type.String())),
    orgName: Nullable(Type.String()),
    inn: Nullable(Type.String()),
    displayName: Type.String(),
    email: Nullable(Type.String()),
    phones: Type.Array(Type.Object({ phone: Type.String(), kind: Type.String(), isPrimary: Type.Boolean() })),
    hasCodeWord: Type.Boolean(),
  }),
  contract: Type.Object({ id: Type.Integer(), number: Type.String(), signedOn: Type.String() }),
  account: Type.Object({
    id: Type.Integer(),
    number: Type.String(),
    /** Not for a visit. */
    balanceKopecks: Type.Optional(Type.Integer()),
    state: AccountStateSchema,
    openedOn: Type.String(),
  }),
  address: AddressSchema,
  /** The subscriber's other accounts (another address), to switch the card to. */
  otherAccounts: Type.Array(Type.Object({ id: Type.Integer(), number: Type.String(), address: Type.String() })),
  tariff: Type.Object({
    current: TariffSchema,
    /** The day the current tariff took effect on this account (the account's opening day if it never changed). */
    since: Type.String(),
    /** Announced price changes of the current tariff that have not taken effect yet. */
    announced: Type.Array(
      Type.Object({ effectiveFrom: Type.String(), monthlyFeeKopecks: Type.Integer(), announcedAt: Type.String() }),
    ),
    history: Type.Array(
      Type.Object({ tariffName: Type.String(), validFrom: Type.String(), validTo: Nullable(Type.String()) }),
    ),
  }),
  /** Payments and charges, newest first. Not for a visit. */
  lastLedgerEntries: Type.Optional(
    Type.Array(
      Type.Object({
        id: Type.Integer(),
        kind: Type.Union([Type.Literal('payment'), Type.Literal('charge'), Type.Literal('adjustment')]),
        amountKopecks: Type.Integer(),
        occurredAt: Type.String(),
        description: Type.String(),
      }),
    ),
  ),
  equipment: Type.Array(
    Type.Object({
      id: Type.Integer(),
      kind: Type.String(),
      model: Type.String(),
      mac: Type.String(),
      serial: Type.String(),
      ownership: Type.Union([Type.Literal('owned'), Type.Literal('rented')]),
      installedOn: Type.String(),
    }),
  ),
  connection: Nullable(
    Type.Object({
      method: Type.Union([Type.Literal('pppoe'), Type.Literal('ipoe')]),
      pppoeLogin: Nullable(Type.String()),
      nodeName: Type.String(),
      nodeKind: Type.String(),
      nodeManagementIp: Type.String(),
      portName: Nullable(Type.String()),
      vlan: Nullable(Type.Integer()),
      option82CircuitId: Nullable(Type.String()),
      option82RemoteId: Nullable(Type.String()),
      mac: Nullable(Type.String()),
      staticIp: Nullable(Type.String()),
      uplinkPath: Type.Array(Type.String()),
    }),
  ),
});
export type SubscriberCard = Static<typeof SubscriberCard>;

export const SubscriberCardQuery = StrictObject({
  accountId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
});

/**
 * PATCH /api/subscribers/:id/account (administrators, until billing does it): an account's state
 * or tariff set by hand, with the reason for the audit log. The account is `accountId`, or the
 * subscriber's first as on the card. The NASes are told after it commits (the card's session
 * panel shows it on its way: `application`).
 */
export const AccountChangeRequest = StrictObject({
  accountId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
  state: Type.Optional(AccountStateSchema),
  tariffId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
  /** Not blank: the audit log says why. */
  reason: Text(500, { minLength: 1, pattern: '\\S' }),
});
export type AccountChangeRequest = Static<typeof AccountChangeRequest>;

export const AccountChangeResult = StrictObject({
  accountId: Type.Integer(),
  state: AccountStateSchema,
  tariffId: Type.Integer(),
  tariffName: Type.String(),
});
export type AccountChangeResult = Static<typeof AccountChangeResult>;
