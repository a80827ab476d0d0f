/**
 * The written forms NASes give the same things in, brought to one, so a session finds its
 * subscriber whichever NAS reported it.
 */

/**
 * A MAC in any form NASes write it (`AA:BB:CC:DD:EE:FF`, `aa-bb-cc-dd-ee-ff`, Cisco's
 * `aabb.ccdd.eeff`, bare hex) as 12 lower-case hex digits; null for anything else.
 */
export function macOf(text: string | null | undefined): string | null {
  if (!text) return null;
  const trimmed = text.trim();
  if (
    !/^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$|^[0-9A-Fa-f]{4}(\.[0-9A-Fa-f]{4}){2}$|^[0-9A-Fa-f]{12}$/.test(trimmed)
  ) {
    return null;
  }
  return trimmed.replace(/[^0-9A-Fa-f]/g, '').toLowerCase();
}

/**
 * An Option 82 sub-option's octets as the network model writes it: text when it is printable
 * ASCII (switches such as "eth 0/0/12:1001"), else its hex (a switch's MAC as 6 raw octets).
 */
export function option82Text(octets: Buffer | null | undefined): string | null {
  if (!octets || octets.length === 0) return null;
  return /^[\x20-\x7E]+$/.test(octets.toString('latin1')) ? octets.toString('latin1') : octets.toString('hex');
}
