import { fold } from '../../core/text.js';
import type { SubscriberFacts } from './subscriber-facts.js';

/**
 * Counting who fits what a query means (typos undone), so whether a labelled query fits one
 * subscriber or many is counted in the data, never assumed.
 */

export interface Meaning {
  surname?: string;
  firstName?: string;
  patronymic?: string;
  street?: string;
  /** One word of the street's name, said alone ("Маркса"). */
  streetWord?: string;
  streetType?: string;
  house?: string;
  /** Korpus, строение or litera as said; absent means any. */
  building?: string;
  apartment?: string;
  orgWord?: string;
}

const same = (a: string | null | undefined, b: string | undefined) => b === undefined || fold(a ?? '') === fold(b);

function fitsMeaning(facts: SubscriberFacts, meaning: Meaning): boolean {
  return (
    same(facts.surname, meaning.surname) &&
    same(facts.firstName, meaning.firstName) &&
    same(facts.patronymic, meaning.patronymic) &&
    same(facts.street, meaning.street) &&
    (meaning.streetWord === undefined ||
      fold(facts.street)
        .split(/[\s-]+/)
        .includes(fold(meaning.streetWord))) &&
    (meaning.streetType === undefined || facts.streetType === meaning.streetType) &&
    same(facts.house, meaning.house) &&
    same(facts.korpus ?? facts.stroenie ?? facts.litera, meaning.building) &&
    same(facts.apartment, meaning.apartment) &&
    (meaning.orgWord === undefined || fold(facts.orgName ?? '').includes(fold(meaning.orgWord)))
  );
}

export class Population {
  private readonly bySurname = new Map<string, SubscriberFacts[]>();
  private readonly byStreet = new Map<string, SubscriberFacts[]>();
  private readonly byIdentifier = new Map<string, Set<number>>();

  constructor(readonly all: readonly SubscriberFacts[]) {
    const add = <K>(map: Map<K, SubscriberFacts[]>, key: K, facts: SubscriberFacts) => {
      const list = map.get(key);
      if (list) list.push(facts);
      else map.set(key, [facts]);
    };
    for (const facts of all) {
      if (facts.surname) add(this.bySurname, fold(facts.surname), facts);
      add(this.byStreet, fold(facts.street), facts);
      const identifiers = [facts.email ? fold(facts.email) : null, facts.inn, ...facts.phones];
      for (const identifier of identifiers) {
        if (!identifier) continue;
        const holders = this.byIdentifier.get(identifier) ?? new Set<number>();
        holders.add(facts.subscriberId);
        this.byIdentifier.set(identifier, holders);
      }
    }
  }

  /** Distinct subscribers that fit the meaning. */
  count(meaning: Meaning): number {
    const pool =
      meaning.surname !== undefined
        ? (this.bySurname.get(fold(meaning.surname)) ?? [])
        : meaning.street !== undefined
          ? (this.byStreet.get(fold(meaning.street)) ?? [])
          : this.all;
    return new Set(pool.filter((facts) => fitsMeaning(facts, meaning)).map((facts) => facts.subscriberId)).size;
  }

  holders(identifier: string): number {
    return this.byIdentifier.get(identifier)?.size ?? 0;
  }
}
