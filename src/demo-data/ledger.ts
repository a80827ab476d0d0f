/**
 * An account's last months of money (ledgerMonthsFor): the balance carried in from before, monthly charges on the
 * 1st at 00:05 (prorated in the month of connection), payments the way people really pay (autopay,
 * a round sum before the 1st, several months at once, now and then), a few outage credits. Debtors
 * stop paying, go negative at a charge and are blocked from then on, with no further charges.
 * The account's balance is the sum of its entries, by construction.
 */
import type { TableBuffer } from './bulk-insert.js';
import { daysInMonthOf, epochAt, monthName, monthStart, russianDate } from './calendar.js';
import { type Random, Weighted } from './random.js';
import { type PriceBook, tariffById } from './tariffs.js';

/**
 * Months of history per account: a year, but half a year past 200,000 subscribers, where a year
 * would be 24 million ledger rows and most of a 15-minute budget on a 2-core PostgreSQL.
 */
export function ledgerMonthsFor(subscribers: number): number {
  return subscribers > 200_000 ? 6 : 12;
}

export type Fate = 'normal' | 'debtor' | 'suspended';
type Payer = 'autopay' | 'monthly' | 'bulk' | 'irregular' | 'invoice';

const PAYERS = new Weighted<Payer>(['autopay', 'monthly', 'bulk', 'irregular'], [25, 45, 20, 10]);
const PAYMENT_CHANNELS = new Weighted(
  [
    'Оплата: Сбербанк Онлайн',
    'Оплата банковской картой на сайте',
    'Оплата через СБП',
    'Оплата в личном кабинете',
    'Оплата через терминал',
    'Оплата наличными в офисе',
    'Оплата: Т-Банк',
  ],
  [30, 18, 18, 14, 8, 6, 6],
);

export interface TariffPeriod {
  tariffId: number;
  fromDay: number;
}

export interface AccountMoney {
  accountId: number;
  openedDay: number;
  /** In order; the last is the current tariff. */
  tariffs: TariffPeriod[];
  organisation: boolean;
  fate: Fate;
}

export interface LedgerOutcome {
  balance: number;
  state: 'active' | 'blocked_debt' | 'suspended';
}

const roundUp = (kopecks: number, step: number) => Math.ceil(kopecks / step) * step;

export class LedgerWriter {
  private nextId = 1;
  private readonly windowStart: number;
  private readonly carryText: string;

  constructor(
    private readonly prices: PriceBook,
    private readonly today: number,
    private readonly random: Random,
    private readonly buffer: TableBuffer,
    months: number,
  ) {
    this.windowStart = monthStart(today, 1 - months);
    this.carryText = `Входящий остаток на ${russianDate(this.windowStart)}`;
  }

  private readonly chargeTexts = new Map<number, string>();

  /** "Абонентская плата за март 2025, «Домашний 100»": one string per month and tariff, reused. */
  private chargeText(month: number, tariffId: number): string {
    const key = month * 16 + tariffId;
    let text = this.chargeTexts.get(key);
    if (text === undefined) {
      text = `Абонентская плата за ${monthName(month)}, «${tariffById(tariffId).name}»`;
      this.chargeTexts.set(key, text);
    }
    return text;
  }

  private entry(
    accountId: number,
    kind: 'payment' | 'charge' | 'adjustment',
    amount: number,
    at: number,
    description: string,
  ): void {
    this.buffer.add(this.nextId++, accountId, kind, amount, at, description);
  }

  private tariffOn(account: AccountMoney, day: number): number {
    let tariffId = (account.tariffs[0] as TariffPeriod).tariffId;
    for (const period of account.tariffs) if (period.fromDay <= day) tariffId = period.tariffId;
    return tariffId;
  }

  private feeFor(account: AccountMoney, day: number): number {
    return this.prices.feeOn(this.tariffOn(account, day), day);
  }

  /** Writes the account's entries and returns where they leave it. */
  write(account: AccountMoney): LedgerOutcome {
    const random = this.random;
    const { accountId, openedDay } = account;
    const payer: Payer = account.organisation ? 'invoice' : account.fate === 'debtor' ? 'monthly' : PAYERS.pick(random);
    const channel =
      payer === 'invoice'
        ? 'Безналичная оплата по счёту'
        : payer === 'autopay'
          ? 'Автоплатёж с банковской карты'
          : PAYMENT_CHANNELS.pick(random);
    const firstCharge = openedDay < this.windowStart ? this.windowStart : monthStart(openedDay, 1);
    // The month (as a day) from which the debtor stops paying or the suspension starts.
    let fateFrom = Number.POSITIVE_INFINITY;
    if (account.fate !== 'normal') {
      const months: number[] = [];
      for (let m = monthStart(firstCharge, 1); m < this.today; m = monthStart(m, 1)) months.push(m);
      if (months.length > 0)
        fateFrom = months[
          Math.max(0, months.length - 1 - Math.floor(random.next() ** 2 * Math.min(6, months.length)))
        ] as number;
    }
    let balance = 0;
    let blocked = false;
    let suspended = false;

    /** A payment on `day` towards the fee due on the 1st of `month`. */
    const pay = (month: number, day: number) => {
      if (day >= this.today || blocked || suspended) return;
      // Debtors stop paying, and suspended accounts have nothing to pay for, from their month on.
      if (month >= fateFrom) return;
      const due = this.feeFor(account, month);
      if (payer !== 'autopay' && balance >= due) return;
      let amount: number;
      if (payer === 'autopay' || payer === 'invoice') amount = due - balance;
      else if (payer === 'monthly') amount = random.chance(0.4) ? due - balance : roundUp(due - balance, 10_000);
      else if (payer === 'bulk') amount = due * random.pick([3, 6, 6, 12]);
      else amount = roundUp(due * (1 + random.next() * 1.5), 50_000);
      if (amount <= 0) return;
      const at =
        payer === 'autopay'
          ? epochAt(day, 20, random.int(0, 59), random.int(0, 59))
          : epochAt(day, random.int(8, 22), random.int(0, 59), random.int(0, 59));
      balance += amount;
      this.entry(accountId, 'payment', amount, at, channel);
    };

    if (openedDay < this.windowStart) {
      // Everything before the window is summed into one carried-in balance: enough for the first charge, and a little more.
      const fee = this.feeFor(account, this.windowStart);
      let carry = fee;
      if (payer === 'monthly' || payer === 'irregular') carry += roundUp(random.int(0, fee / 2), 1_000);
      if (payer === 'bulk') carry += fee * random.int(0, 5);
      balance = carry;
      this.entry(accountId, 'adjustment', carry, epochAt(this.windowStart, 0, 0), this.carryText);
    } else {
      // Connection day: the first payment, then the rest of this month's fee.
      const fee = this.feeFor(account, openedDay);
      const days = daysInMonthOf(openedDay);
      const remaining = monthStart(openedDay, 1) - openedDay;
      const prorated = Math.round((fee * remaining) / days);
      const firstPayment = payer === 'bulk' ? fee * random.pick([3, 6]) : roundUp(prorated + fee, 10_000);
      balance = firstPayment;
      this.entry(
        accountId,
        'payment',
        firstPayment,
        epochAt(openedDay, random.int(10, 17), random.int(0, 59)),
        channel,
      );
      const name = tariffById(this.tariffOn(account, openedDay)).name;
      balance -= prorated;
      const from = remaining === days ? '' : ` (с ${russianDate(openedDay).slice(0, 5)})`;
      this.entry(
        accountId,
        'charge',
        -prorated,
        epochAt(openedDay, 18),
        `Абонентская плата за ${monthName(openedDay)}${from}, «${name}»`,
      );
    }

    let creditGiven = false;
    for (let month = firstCharge; ; month = monthStart(month, 1)) {
      const previous = monthStart(month, -1);
      // Paid before the 1st: autopay on the last evening, others between the 15th and the 28th.
      const payDay = payer === 'autopay' ? month - 1 : Math.max(previous + random.int(14, 27), openedDay);
      if (payDay >= this.windowStart && !(month === firstCharge && openedDay < this.windowStart)) {
        pay(month, payDay);
      }
      if (month >= this.today) break;
      if (month >= fateFrom && account.fate === 'suspended') suspended = true;
      if (blocked || suspended) continue;
      const tariffId = this.tariffOn(account, month);
      const fee = this.prices.feeOn(tariffId, month);
      balance -= fee;
      this.entry(accountId, 'charge', -fee, epochAt(month, 0, 5), this.chargeText(month, tariffId));
      if (balance < 0) blocked = true;
      else if (!creditGiven && random.chance(0.004)) {
        // An outage credit: a day or two of the fee back.
        creditGiven = true;
        const outage = month + random.int(2, 10);
        if (outage + 1 < this.today) {
          const days = random.int(1, 3);
          const credit = Math.round((fee * days) / daysInMonthOf(month));
          balance += credit;
          this.entry(
            accountId,
            'adjustment',
            credit,
            epochAt(outage + 1, 11, random.int(0, 59)),
            `Перерасчёт за перерыв связи с ${russianDate(outage)}`,
          );
        }
      }
    }
    return { balance, state: blocked ? 'blocked_debt' : suspended ? 'suspended' : 'active' };
  }
}
