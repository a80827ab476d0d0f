/**
 * Subscribers: people (with namesakes, ё and short surnames, relatives sharing a phone) and some
 * organisations (ООО, АО, ИП with a valid ИНН), their phones, e-mail and code word.
 */
import { createHash } from 'node:crypto';
import { hashCodeWord, hashCodeWordSync, normaliseCodeWord } from '../modules/subscribers/code-word.js';
import { innFor } from '../modules/subscribers/identifiers.js';
import type { TableBuffer } from './bulk-insert.js';
import { type PersonName, pickPerson, transliterate } from './names.js';
import { hash32, Permutation, Random, Weighted } from './random.js';
import { feminineSurname, type Origin, pickSurname } from './surnames.js';

/** Safety: demo mail never reaches anyone, so e-mail domains are under the reserved .example TLD (RFC 2606). */
const MAIL_DOMAINS = new Weighted(
  ['mail.example', 'yandex.example', 'gmail.example', 'bk.example', 'list.example', 'inbox.example', 'rambler.example'],
  [35, 27, 16, 7, 6, 5, 4],
);

const CODE_WORDS = `Барсик Мурка Рыжик Шарик Дружок Тузик Пушок Снежок Кузя Лада Волга Москвич Ромашка Берёзка Ласточка
  Солнышко Малахит Урал Исеть Байкал Сочи Анапа Ялта Таганрог Север Победа Спартак Динамо Автомагистраль Сирень
  Черёмуха Яблоко Апельсин Лимон Пельмени Блины Шоколад Пирожок Гитара Скрипка Баян Каштан Жасмин Одуванчик
  Василёк Колокольчик Тополь Рябина Калина Медведь Лисица Ёжик Белка Соловей Синица Воробей Кедр`
  .trim()
  .split(/\s+/u);

/**
 * The demo subscriber's code word, chosen from the seed and the subscriber's id alone, so a demo
 * or a test can say it out loud without the generator storing it anywhere. Null for about 30 %.
 */
export function demoCodeWord(seed: number, subscriberId: number): string | null {
  const h = hash32(`code-word:${subscriberId}`, seed);
  if (h % 100 >= 70) return null;
  if ((h >>> 8) % 3 === 0) {
    // Mother's maiden name, the classic choice.
    const random = new Random(h);
    return feminineSurname(pickSurname(random).surname);
  }
  return CODE_WORDS[(h >>> 8) % CODE_WORDS.length] as string;
}

/** The salt of a demo word's hash, from the seed: the same seed gives the same rows. */
const demoSalt = (seed: number, word: string) =>
  createHash('sha256').update(`code-word-salt:${seed}:${word}`).digest().subarray(0, 16);

/**
 * Demo code words are hashed with argon2id like real ones, but each distinct word once (about 770
 * words for a million subscribers, 13 ms each), its hash shared by every subscriber who has that
 * word: a hash per subscriber would take hours. Only demo data shares hashes; a word set for a
 * real subscriber gets its own salt (code-word.ts).
 */
export class DemoCodeWordHashes {
  private readonly byWord = new Map<string, string>();

  constructor(private readonly seed: number) {}

  /** Hashes the words of subscribers 1..count ahead, in parallel on libuv's threads. */
  async prepare(count: number): Promise<void> {
    const words = new Set<string>();
    for (let id = 1; id <= count; id++) {
      const word = demoCodeWord(this.seed, id);
      if (word !== null) words.add(normaliseCodeWord(word));
    }
    const missing = [...words].filter((word) => !this.byWord.has(word));
    const hashes = await Promise.all(missing.map((word) => hashCodeWord(word, demoSalt(this.seed, word))));
    for (const [index, word] of missing.entries()) this.byWord.set(word, hashes[index] as string);
  }

  of(subscriberId: number): string | null {
    const word = demoCodeWord(this.seed, subscriberId);
    if (word === null) return null;
    const key = normaliseCodeWord(word);
    let stored = this.byWord.get(key);
    if (stored === undefined) {
      stored = hashCodeWordSync(key, demoSalt(this.seed, key));
      this.byWord.set(key, stored);
    }
    return stored;
  }
}

const ORG_HEADS =
  `Урал Исеть Малахит Техно Строй Вектор Меридиан Гранит Альфа Сфера Екат Сибирь Азимут Прогресс Стандарт
  Профи Орион Атлант Кедр Яшма Самоцвет Горизонт Магистраль Энерго Агро Мега Интер Евро Теле Медиа`
    .trim()
    .split(/\s+/u);
const ORG_TAILS = `снаб сервис торг строй комплект лайн групп плюс трейд инвест маркет логистик монтаж пром авто
  мед софт`
  .trim()
  .split(/\s+/u);
const ORG_STANDALONE = [
  'Ромашка',
  'Берёзка',
  'Колос',
  'Радуга',
  'Феникс',
  'Улыбка',
  'Уют',
  'Забота',
  'Пятый элемент',
  'Лукоморье',
];
/** Tax inspections of Свердловская область (region code 66). */
const INSPECTIONS = ['58', '59', '70', '71', '72', '79', '85'];

export interface SubscriberFacts {
  id: number;
  organisation: boolean;
  /** Adults only: the holder was at least 18 on the day of signing. */
  latestBirthYear: number;
}

interface Relative {
  familyName: string;
  origin: Origin;
  mobile: string;
  home: string | null;
}

/** Makes one subscriber row (and its phones) at a time, in id order. */
export class SubscriberMaker {
  private readonly mobiles: Permutation;
  private readonly landlines: Permutation;
  private readonly orgSerials: Permutation;
  private mobileCount = 0;
  private landlineCount = 0;
  private orgCount = 0;
  private phoneId = 0;
  private readonly relatives: Relative[] = [];
  readonly codeWords: DemoCodeWordHashes;

  constructor(
    seed: number,
    private readonly random: Random,
    private readonly buffers: { subscribers: TableBuffer; phones: TableBuffer },
  ) {
    this.mobiles = new Permutation(1_000_000_000, hash32('mobile', seed));
    this.landlines = new Permutation(8_000_000, hash32('landline', seed));
    this.orgSerials = new Permutation(100_000, hash32('organisation', seed));
    this.codeWords = new DemoCodeWordHashes(seed);
  }

  /** +79XXXXXXXXX, unique for each call. */
  private newMobile(): string {
    return `+79${String(this.mobiles.at(this.mobileCount++)).padStart(9, '0')}`;
  }

  /** +7343XXXXXXX, a Yekaterinburg landline (numbers start with 2..9), unique for each call. */
  private newLandline(): string {
    return `+7343${2_000_000 + this.landlines.at(this.landlineCount++)}`;
  }

  private addPhone(subscriberId: number, phone: string, kind: 'mobile' | 'home' | 'work', primary: boolean): void {
    this.buffers.phones.add(++this.phoneId, subscriberId, phone, kind, primary ? 1 : 0);
  }

  make(facts: SubscriberFacts, createdAt: number): void {
    if (facts.organisation) this.makeOrganisation(facts, createdAt);
    else this.makePerson(facts, createdAt);
  }

  private makePerson(facts: SubscriberFacts, createdAt: number): void {
    const random = this.random;
    // About one in 200 is a relative of someone who signed shortly before: same family name, often the same phone.
    const relative = this.relatives.length > 10 && random.chance(0.005) ? random.pick(this.relatives) : null;
    const person = pickPerson(random, facts.latestBirthYear, relative ?? undefined);
    const email = random.chance(person.birthYear >= 1980 ? 0.8 : person.birthYear >= 1960 ? 0.6 : 0.3)
      ? this.emailOf(person)
      : null;
    this.buffers.subscribers.add(
      facts.id,
      'person',
      person.surname,
      person.firstName,
      person.patronymic,
      person.birthDate,
      null,
      null,
      email,
      this.codeWords.of(facts.id),
      createdAt,
    );
    const mobile = relative && random.chance(0.6) ? relative.mobile : this.newMobile();
    this.addPhone(facts.id, mobile, 'mobile', true);
    if (random.chance(0.12)) this.addPhone(facts.id, this.newMobile(), 'mobile', false);
    let home: string | null = null;
    if (relative?.home) home = relative.home;
    else if (random.chance(person.birthYear < 1965 ? 0.45 : 0.12)) home = this.newLandline();
    if (home) this.addPhone(facts.id, home, 'home', false);
    this.relatives.push({ familyName: person.familyName, origin: person.origin, mobile, home });
    if (this.relatives.length > 64) this.relatives.shift();
  }

  private emailOf(person: PersonName): string {
    const random = this.random;
    const surname = transliterate(person.surname);
    const first = transliterate(person.firstName);
    const initial = first.slice(0, 1);
    const year = String(person.birthYear);
    const local = random.pick([
      `${first}.${surname}`,
      `${surname}.${first}`,
      `${surname}${year.slice(2)}`,
      `${initial}${surname}`,
      `${surname}_${first}${random.int(1, 99)}`,
      `${first}${year}`,
      `${surname}.${initial}${transliterate(person.patronymic).slice(0, 1)}`,
      `${first}_${surname}${random.int(100, 999)}`,
    ]);
    return `${local.replace(/-+/g, '-')}@${MAIL_DOMAINS.pick(random)}`;
  }

  private makeOrganisation(facts: SubscriberFacts, createdAt: number): void {
    const random = this.random;
    const serial = this.orgSerials.at(this.orgCount++ % 100_000);
    const inspection = INSPECTIONS[serial % INSPECTIONS.length] as string;
    let surname: string | null = null;
    let firstName: string | null = null;
    let patronymic: string | null = null;
    let orgName: string;
    let inn: string;
    let slug: string;
    if (random.chance(0.35)) {
      // An individual entrepreneur: a person trading under their own name, with a person's 12-digit ИНН.
      const person = pickPerson(random, facts.latestBirthYear);
      surname = person.surname;
      firstName = person.firstName;
      patronymic = person.patronymic;
      orgName = `ИП ${person.surname} ${person.firstName} ${person.patronymic}`;
      inn = innFor(`66${inspection}${String(serial).padStart(6, '0')}`);
      slug = `ip-${transliterate(person.surname)}`;
    } else {
      let name: string;
      if (random.chance(0.2)) name = random.pick(ORG_STANDALONE);
      else {
        const head = random.pick(ORG_HEADS);
        const tail = random.pick(ORG_TAILS);
        name = random.chance(0.6) ? `${head}${tail}` : `${head}-${tail[0]?.toUpperCase()}${tail.slice(1)}`;
      }
      orgName = `${random.chance(0.9) ? 'ООО' : 'АО'} «${name}»`;
      inn = innFor(`66${inspection}${String(serial).padStart(5, '0')}`);
      slug = transliterate(name);
    }
    const email = random.chance(0.9) ? `${random.pick(['info', 'office', 'buh', 'admin'])}@${slug}.example` : null;
    this.buffers.subscribers.add(
      facts.id,
      'organisation',
      surname,
      firstName,
      patronymic,
      null,
      orgName,
      inn,
      email,
      this.codeWords.of(facts.id),
      createdAt,
    );
    this.addPhone(facts.id, this.newLandline(), 'work', true);
    if (random.chance(0.6)) this.addPhone(facts.id, this.newMobile(), 'mobile', false);
  }
}
