/**
 * What the PBX reports as dialled ("8 800 100-20-30", "+78001002030", "88001002030") or chosen in
 * its menu ("1", "2#") → the key lines are matched by. A Russian number's 8 prefix and +7 are one
 * number (E.164, as subscribers' phones are kept); a local number without the area code gets the
 * ISP's (ISP_AREA_CODE); anything shorter, or with letters, is a menu choice compared as written.
 * The settings module may not import the subscribers' phone rules, hence this small copy of the
 * part it needs.
 */
export function dialledKey(raw: string, areaCode: string): string {
  const written = raw.trim();
  if (!/^\+?[\d\s\-().]+$/.test(written)) return written;
  const digits = written.replace(/\D/g, '');
  if (digits.length === 11 && /^[78]/.test(digits) && !(written.startsWith('+') && digits.startsWith('8'))) {
    return `+7${digits.slice(1)}`;
  }
  if (digits.length === 10 && !written.startsWith('+')) return `+7${digits}`;
  // Another country's number, written with its plus.
  if (written.startsWith('+') && digits.length >= 8) return `+${digits}`;
  if (digits.length === 10 - areaCode.length && !digits.startsWith('0')) return `+7${areaCode}${digits}`;
  return digits;
}
