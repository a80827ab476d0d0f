/**
 * The written forms NASes give the same things in, brought to one, so a session finds its
 * subscriber whichever NAS reported it.
 */

/** A MAC in any form NASes write it, as 12 lower-case hex digits (the network module's reading of a MAC). */
export { macDigits as macOf } from '../network/service.js';

/**
 * An Option 82 sub-option's octets as the network model writes it: text when it is printable
 * ASCII (switches such as "eth 0/0/12:1001"), else its hex (a switch's MAC as 6 raw octets).
 */
export function option82Text(octets: Buffer | null | undefined): string | null {
  if (!octets || octets.length === 0) return null;
  return /^[\x20-\x7E]+$/.test(octets.toString('latin1')) ? octets.toString('latin1') : octets.toString('hex');
}
