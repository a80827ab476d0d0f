/**
 * Russian phone numbers as callers and caller ID give them ("8 912 345-67-89",
 * "+7 (912) 3456789", "9123456789", "+79123456789") → E.164 ("+79123456789"). A domestic
 * 8-prefix and +7 are one number (docs/decisions.md, "Rules that hold everywhere"). Returns null for anything that is not a
 * complete Russian number: identification must not guess a phone from a fragment.
 */
export function normalisePhone(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed.length === 0 || trimmed.length > 40) return null;
  // Only digits, spaces, dashes, dots, brackets and one leading plus are phone punctuation.
  if (!/^\+?[\d\s\-().]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length === 10) return `+7${digits}`;
  if (digits.length === 11 && (digits.startsWith('7') || digits.startsWith('8'))) {
    // "+8 ..." is not a Russian number; "8 ..." and "+7 ..." and "7 ..." are.
    if (trimmed.startsWith('+') && digits.startsWith('8')) return null;
    return `+7${digits.slice(1)}`;
  }
  return null;
}

/**
 * A local number said without the area code ("990-05-93", "9900593") → E.164 with the ISP's own
 * area code (ISP_AREA_CODE): area code and local number together are the 10 digits of a Russian
 * number, so a 3-digit code takes 7 local digits and a 5-digit one 5. Null for anything else.
 */
export function normaliseLocalPhone(input: string, areaCode: string): string | null {
  const trimmed = input.trim();
  if (!/^\d[\d\s\-.]*$/.test(trimmed) || !/^[1-9]\d{2,4}$/.test(areaCode)) return null;
  const digits = trimmed.replace(/\D/g, '');
  // A local number never begins with 0 (long distance); 8 does begin some (the demo city's 8xx-xx-xx).
  if (digits.length !== 10 - areaCode.length || digits.startsWith('0')) return null;
  return `+7${areaCode}${digits}`;
}
