import { Problem } from '../core/problem.js';

// Characters that change how the text around them is shown: a name with U+202E reads backwards in
// the staff list and the audit log ("Trojan Source", CVE-2021-42574).
const bidiControls = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const lineBreaks = /[\n\r\u0085\u2028\u2029]/u;
// Trimmed from both ends along with spaces: zero-width and other invisible format characters.
const invisibleAtEnds = /^[\s\p{Cf}]+|[\s\p{Cf}]+$/gu;

const invalidName = (detail: string) => new Problem('staff.invalid_name', 400, 'This is not a usable name', detail);

/**
 * A staff member's full name as stored and shown: NFC, without spaces or invisible characters at
 * either end, on one line, with at least one letter, without direction controls.
 */
export function staffNameFrom(raw: string): string {
  // Direction controls are refused wherever they are, at the ends too, not trimmed away silently.
  if (bidiControls.test(raw)) throw invalidName('The name must not contain text-direction control characters');
  const name = raw.normalize('NFC').replace(invisibleAtEnds, '');
  if (name === '') throw invalidName('The name is blank or made only of invisible characters');
  if (lineBreaks.test(name)) throw invalidName('The name must be on one line');
  if (/\p{Cc}/u.test(name)) throw invalidName('The name must not contain control characters');
  if (!/\p{L}/u.test(name)) throw invalidName('The name must contain at least one letter');
  return name;
}
