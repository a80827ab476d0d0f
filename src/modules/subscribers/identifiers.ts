/**
 * The numbers a caller reads out: the account number, the contract number, an organisation's ИНН.
 * Formats (docs/identifiers.md):
 *   account   8 digits: a 7-digit serial (1000001..9999999) and a Luhn check digit, so one mistyped
 *             digit or two swapped neighbours never name another account;
 *   contract  LD-YYYY-NNNNNN: the year it was signed and a serial unique across all years,
 *             zero-padded to 6 digits (it grows to 7 past 999,999 contracts);
 *   ИНН       10 digits for an organisation, 12 for a person or ИП, with the tax service's check digits.
 */

const ACCOUNT_SERIAL_MIN = 1_000_001;
const ACCOUNT_SERIAL_MAX = 9_999_999;

/** The Luhn check digit (ISO/IEC 7812-1) that makes `digits` + check pass the Luhn test. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  // Walking from the right, the digit next to the check digit is doubled first.
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function accountNumberFor(serial: number): string {
  if (!Number.isInteger(serial) || serial < ACCOUNT_SERIAL_MIN || serial > ACCOUNT_SERIAL_MAX) {
    throw new RangeError(`account serial must be ${ACCOUNT_SERIAL_MIN}..${ACCOUNT_SERIAL_MAX}, got ${serial}`);
  }
  const digits = String(serial);
  return digits + luhnCheckDigit(digits);
}

/** True for exactly 8 digits whose serial is in range and whose last digit is the Luhn check. */
export function isValidAccountNumber(text: string): boolean {
  if (!/^[1-9]\d{7}$/.test(text)) return false;
  const serial = text.slice(0, 7);
  if (Number(serial) < ACCOUNT_SERIAL_MIN) return false;
  return luhnCheckDigit(serial) === text.charCodeAt(7) - 48;
}

/** The serial of a valid account number, or null. */
export function accountSerialOf(text: string): number | null {
  return isValidAccountNumber(text) ? Number(text.slice(0, 7)) : null;
}

export interface ContractNumberParts {
  /** Absent when the caller gave only the serial ("012345"): the serial alone is unique. */
  year: number | null;
  serial: number;
}

const YEAR_MIN = 1990;
const YEAR_MAX = 2099;

export function contractNumberFor(year: number, serial: number): string {
  if (!Number.isInteger(year) || year < YEAR_MIN || year > YEAR_MAX)
    throw new RangeError(`contract year out of range: ${year}`);
  if (!Number.isInteger(serial) || serial < 1 || serial > 9_999_999) {
    throw new RangeError(`contract serial out of range: ${serial}`);
  }
  return `LD-${year}-${String(serial).padStart(6, '0')}`;
}

// "ДВ" is what "LD" comes out as when the caller's number is typed on a Russian keyboard layout.
const CONTRACT_PATTERN = /^(?:(?:LD|ДВ|ЛД)[\s\-_./№#]*)?(?:(\d{4})[\s\-_./]*)?(\d{6,7})$/iu;

// The serial without its leading zeros ("LD-5625", "LD-2019-5625", "договор 5625"): only with the
// prefix or when the caller said it was the contract, as 4 bare digits are far more often a house.
const SHORT_CONTRACT_PATTERN = /^(?:(LD|ДВ|ЛД)[\s\-_./№#]*)?(?:(\d{4})[\s\-_./]+)?(\d{1,7})$/iu;

/**
 * Reads a contract number as operators receive it: "LD-2019-012345", "ld 2019 012345",
 * "2019-012345", "2019012345", "012345" (the serial alone), and the serial without its zeros after
 * the prefix ("LD-5625") or, with `named` (the caller said "договор"), alone ("5625"). Returns the
 * parts, or null when it is not one.
 */
export function parseContractNumber(text: string, { named = false } = {}): ContractNumberParts | null {
  const written = text.trim().replace(/^№\s*/u, '');
  const full = CONTRACT_PATTERN.exec(written);
  const short = full ? null : SHORT_CONTRACT_PATTERN.exec(written);
  const parts = full ? [full[1], full[2]] : short && (named || short[1] !== undefined) ? [short[2], short[3]] : null;
  if (!parts) return null;
  const year = parts[0] === undefined ? null : Number(parts[0]);
  const serial = Number(parts[1]);
  if (serial < 1) return null;
  if (year !== null && (year < YEAR_MIN || year > YEAR_MAX)) return null;
  return { year, serial };
}

const INN10_WEIGHTS = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN11_WEIGHTS = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN12_WEIGHTS = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

function innCheckDigit(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (digits.charCodeAt(i) - 48) * (weights[i] as number);
  return (sum % 11) % 10;
}

/** Completes 9 digits to an organisation's 10-digit ИНН, or 10 digits to a person's 12-digit one. */
export function innFor(body: string): string {
  if (/^\d{9}$/.test(body)) return body + innCheckDigit(body, INN10_WEIGHTS);
  if (/^\d{10}$/.test(body)) {
    const eleven = body + innCheckDigit(body, INN11_WEIGHTS);
    return eleven + innCheckDigit(eleven, INN12_WEIGHTS);
  }
  throw new RangeError('innFor: give 9 digits (organisation) or 10 digits (person)');
}

/** Checks an ИНН's length and check digits (10 digits: organisation; 12: person or ИП). */
export function isValidInn(text: string): boolean {
  if (/^\d{10}$/.test(text)) return innCheckDigit(text, INN10_WEIGHTS) === text.charCodeAt(9) - 48;
  if (/^\d{12}$/.test(text)) {
    return (
      innCheckDigit(text, INN11_WEIGHTS) === text.charCodeAt(10) - 48 &&
      innCheckDigit(text, INN12_WEIGHTS) === text.charCodeAt(11) - 48
    );
  }
  return false;
}
