/**
 * A person's full name as it stands in a Russian contract: surname, first name, patronymic. First
 * names follow the fashion of the birth years (Галина and Геннадий are born before 1960, Дарья and
 * Никита after 1995), and the patronymic comes from a father born about 27 years earlier.
 */
import { type Random, Weighted } from './random.js';
import { feminineSurname, type Origin, pickSurname } from './surnames.js';

export type Sex = 'male' | 'female';

/** "Name weight Name weight ...": relative frequencies within one generation. */
function table(text: string): Weighted<string> {
  const parts = text.trim().split(/\s+/u);
  const names: string[] = [];
  const weights: number[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    names.push(parts[i] as string);
    weights.push(Number(parts[i + 1]));
  }
  return new Weighted(names, weights);
}

interface Generation {
  bornBefore: number;
  male: Weighted<string>;
  female: Weighted<string>;
}

const GENERATIONS: Generation[] = [
  {
    // Only fathers are born this early; the table supplies their names for patronymics.
    bornBefore: 1935,
    male: table(`Иван 14 Николай 11 Василий 10 Михаил 9 Александр 8 Пётр 7 Алексей 5 Фёдор 5 Григорий 4
      Степан 4 Павел 4 Дмитрий 3 Яков 3 Семён 3 Егор 2 Андрей 3 Никита 2 Илья 2 Тимофей 2 Матвей 2 Афанасий 2
      Захар 1 Кузьма 1 Прохор 1 Сергей 3 Владимир 3 Константин 2 Леонид 2 Георгий 2 Борис 2 Аркадий 1`),
    female: table(`Мария 10 Анна 8 Александра 5 Прасковья 3 Евдокия 3`),
  },
  {
    bornBefore: 1960,
    male: table(`Владимир 14 Александр 12 Николай 11 Виктор 9 Анатолий 8 Юрий 8 Валерий 6 Геннадий 6 Василий 6
      Михаил 6 Евгений 5 Иван 5 Борис 4 Леонид 4 Вячеслав 3 Пётр 3 Алексей 3 Сергей 3 Валентин 3 Станислав 2
      Аркадий 1 Григорий 2 Фёдор 2 Павел 2 Виталий 2 Эдуард 1 Константин 1 Лев 1`),
    female: table(`Татьяна 12 Галина 11 Людмила 11 Валентина 10 Нина 9 Надежда 8 Любовь 8 Лидия 6 Тамара 6
      Вера 5 Антонина 4 Раиса 4 Мария 4 Ольга 4 Зоя 3 Александра 3 Зинаида 3 Светлана 3 Елена 3 Анна 3
      Евгения 2 Клавдия 2 Алла 2 Лариса 2 Нелли 1 Маргарита 1 Римма 1`),
  },
  {
    bornBefore: 1980,
    male: table(`Сергей 16 Александр 14 Андрей 10 Владимир 8 Алексей 7 Игорь 6 Олег 6 Дмитрий 5 Евгений 5
      Юрий 4 Виктор 4 Михаил 3 Николай 3 Вадим 3 Валерий 2 Константин 2 Павел 2 Вячеслав 2 Виталий 2
      Владислав 1 Роман 1 Максим 1 Денис 1 Геннадий 1 Анатолий 1 Иван 1 Артур 1 Эдуард 1`),
    female: table(`Елена 14 Ольга 12 Татьяна 12 Наталья 12 Ирина 10 Светлана 9 Марина 6 Людмила 4 Лариса 4
      Надежда 4 Галина 3 Оксана 3 Юлия 3 Любовь 3 Анна 2 Жанна 2 Инна 2 Вера 2 Екатерина 2 Нина 1
      Валентина 1 Алла 1 Виктория 1 Маргарита 1`),
  },
  {
    bornBefore: 1995,
    male: table(`Александр 15 Алексей 10 Дмитрий 10 Сергей 9 Андрей 8 Евгений 6 Максим 6 Денис 5 Антон 4 Роман 4
      Павел 4 Иван 4 Михаил 4 Артём 3 Владимир 3 Константин 3 Никита 2 Кирилл 2 Илья 2 Виталий 2 Игорь 2
      Вадим 2 Станислав 2 Владислав 2 Олег 2 Руслан 2 Ярослав 1 Егор 1 Григорий 1 Тимур 1 Артур 1 Вячеслав 1`),
    female: table(`Екатерина 10 Анна 10 Елена 9 Юлия 9 Ольга 8 Наталья 8 Анастасия 7 Татьяна 6 Ирина 6 Мария 6
      Светлана 5 Евгения 4 Ксения 4 Марина 4 Дарья 3 Александра 3 Оксана 3 Кристина 3 Виктория 3 Алёна 3
      Надежда 2 Валерия 2 Яна 2 Алина 2 Полина 1 Вера 1 Людмила 1`),
  },
  {
    bornBefore: 9999,
    male: table(`Александр 12 Максим 9 Артём 9 Никита 8 Дмитрий 8 Иван 6 Кирилл 6 Даниил 5 Егор 5 Илья 5
      Михаил 5 Андрей 4 Алексей 4 Владислав 4 Сергей 3 Роман 3 Матвей 2 Денис 2 Тимофей 2 Ярослав 2 Павел 2
      Антон 2 Евгений 2 Константин 2 Глеб 1 Степан 1 Георгий 1 Лев 1 Данила 1 Фёдор 1`),
    female: table(`Анастасия 12 Дарья 9 Екатерина 9 Мария 8 Анна 8 Полина 6 Виктория 6 Алина 5 Елизавета 5
      Ксения 5 Александра 5 Валерия 4 Юлия 4 Софья 3 Алёна 3 Кристина 3 Вероника 3 Ольга 2 Диана 2 Арина 2
      Карина 2 Ангелина 2 Елена 2 Ульяна 1 Милана 1 Татьяна 1 Варвара 1`),
  },
];

const TATAR_MALE = table(`Ринат 8 Рустам 8 Ильдар 7 Айдар 5 Марат 8 Рамиль 6 Альберт 4 Ильнур 4 Руслан 6 Тимур 5
  Рафаэль 3 Радик 3 Азат 4 Ильшат 2 Дамир 3 Фарит 3 Рашит 3 Наиль 3 Шамиль 2`);
const TATAR_FEMALE = table(`Гульнара 8 Альфия 5 Лилия 7 Эльвира 7 Гузель 6 Айгуль 4 Резеда 3 Алсу 4 Динара 4
  Лейсан 3 Венера 3 Зульфия 3 Розалия 2 Эльмира 3 Диляра 2 Рамиля 2`);
const TATAR_FATHERS = table(`Рашит 6 Марат 6 Ильдар 4 Ринат 5 Фарит 4 Рафаэль 3 Азат 3 Наиль 3 Шамиль 3
  Рамиль 3 Айдар 2 Рустам 4 Габдулла 2 Мансур 2 Рифкат 2 Хамит 2`);

const IRREGULAR_PATRONYMICS: Record<string, [string, string]> = {
  Пётр: ['Петрович', 'Петровна'],
  Павел: ['Павлович', 'Павловна'],
  Лев: ['Львович', 'Львовна'],
  Михаил: ['Михайлович', 'Михайловна'],
  Яков: ['Яковлевич', 'Яковлевна'],
  Илья: ['Ильич', 'Ильинична'],
  Никита: ['Никитич', 'Никитична'],
  Кузьма: ['Кузьмич', 'Кузьминична'],
  Данила: ['Данилович', 'Даниловна'],
  Габдулла: ['Габдуллович', 'Габдулловна'],
  Дмитрий: ['Дмитриевич', 'Дмитриевна'],
  Георгий: ['Георгиевич', 'Георгиевна'],
};

/** Отчество from the father's first name: Сергей → Сергеевич, Юрий → Юрьевна, Наиль → Наилевич. */
export function patronymicOf(fatherName: string, sex: Sex): string {
  const irregular = IRREGULAR_PATRONYMICS[fatherName];
  if (irregular) return sex === 'male' ? irregular[0] : irregular[1];
  let stem: string;
  if (fatherName.endsWith('ий')) stem = `${fatherName.slice(0, -2)}ье`;
  else if (fatherName.endsWith('й') || fatherName.endsWith('ь')) stem = `${fatherName.slice(0, -1)}е`;
  else stem = `${fatherName}о`;
  return sex === 'male' ? `${stem}вич` : `${stem}вна`;
}

function generationOf(birthYear: number): Generation {
  return GENERATIONS.find((generation) => birthYear < generation.bornBefore) ?? (GENERATIONS.at(-1) as Generation);
}

// Contract holders: few under 25, most between 30 and 70.
const BIRTH_YEARS = Array.from({ length: 2005 - 1940 + 1 }, (_, i) => 1940 + i);
const BIRTH_YEAR_TABLE = new Weighted(
  BIRTH_YEARS,
  BIRTH_YEARS.map((year) => {
    if (year < 1950) return 0.4 + (year - 1940) * 0.08;
    if (year <= 1990) return 1.2 + Math.sin(((year - 1950) / 40) * Math.PI) * 0.4;
    return Math.max(0.15, 1.2 - (year - 1990) * 0.07);
  }),
);

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export interface PersonName {
  sex: Sex;
  surname: string;
  /** The surname's masculine form, so relatives can be given the same family name. */
  familyName: string;
  firstName: string;
  patronymic: string;
  birthDate: string;
  birthYear: number;
}

/** Records typed without ё (Семенов, Петр) are common; identification must find them either way. */
const writeWithoutYo = (name: PersonName): PersonName => ({
  ...name,
  surname: name.surname.replaceAll('ё', 'е'),
  firstName: name.firstName.replaceAll('ё', 'е'),
  patronymic: name.patronymic.replaceAll('ё', 'е'),
});

/** A person born no later than `latestBirthYear` (a contract holder is an adult when signing). */
export function pickPerson(
  random: Random,
  latestBirthYear: number,
  family?: { familyName: string; origin: Origin },
): PersonName & { origin: Origin } {
  const sex: Sex = random.chance(0.47) ? 'male' : 'female';
  const picked = family ? { surname: family.familyName, origin: family.origin } : pickSurname(random);
  let birthYear = BIRTH_YEAR_TABLE.pick(random);
  while (birthYear > latestBirthYear) birthYear = BIRTH_YEAR_TABLE.pick(random);
  const month = random.int(1, 12);
  const leap = birthYear % 4 === 0 && month === 2 ? 1 : 0;
  const day = random.int(1, (DAYS_IN_MONTH[month - 1] as number) + leap);
  const tatarNames = picked.origin === 'tatar' && random.chance(0.7);
  const generation = generationOf(birthYear);
  const firstName = tatarNames
    ? (sex === 'male' ? TATAR_MALE : TATAR_FEMALE).pick(random)
    : (sex === 'male' ? generation.male : generation.female).pick(random);
  const father = tatarNames
    ? TATAR_FATHERS.pick(random)
    : generationOf(birthYear - random.int(22, 34)).male.pick(random);
  const name: PersonName & { origin: Origin } = {
    sex,
    surname: sex === 'male' ? picked.surname : feminineSurname(picked.surname),
    familyName: picked.surname,
    firstName,
    patronymic: patronymicOf(father, sex),
    birthDate: `${birthYear}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    birthYear,
    origin: picked.origin,
  };
  return random.chance(0.3) ? { ...name, ...writeWithoutYo(name) } : name;
}

const TRANSLIT: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};

/** Latin letters for e-mail boxes and equipment names, the way people spell themselves online. */
export function transliterate(text: string): string {
  let out = '';
  for (const char of text.toLowerCase()) out += TRANSLIT[char] ?? (/[a-z0-9]/.test(char) ? char : '-');
  return out.replace(/-+/g, '-').replace(/^-|-$/g, '');
}
