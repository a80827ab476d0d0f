import type { AriEvent } from './models.js';

/**
 * An event off the WebSocket, checked for what Linedesk reads of it before it is believed: the
 * type, and for each type the fields the application uses (events.json). Anything else — not
 * JSON, an event of another type, a channel without an id — is null, logged and dropped by the
 * caller; Asterisk is trusted for what it says, not for saying it well.
 */
export function readAriEvent(text: string): AriEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(value) || typeof value.type !== 'string' || typeof value.timestamp !== 'string') return null;
  if (value.timestamp.length > 40) return null;
  switch (value.type) {
    case 'StasisStart':
      return isChannel(value.channel) && Array.isArray(value.args) && value.args.every(isShortText)
        ? (value as unknown as AriEvent)
        : null;
    case 'ChannelDtmfReceived':
      return isChannel(value.channel) && typeof value.digit === 'string' && /^[0-9*#A-D]$/.test(value.digit)
        ? (value as unknown as AriEvent)
        : null;
    case 'ChannelDestroyed':
      return isChannel(value.channel) && typeof value.cause === 'number' && typeof value.cause_txt === 'string'
        ? (value as unknown as AriEvent)
        : null;
    case 'StasisEnd':
    case 'ChannelHangupRequest':
    case 'ChannelStateChange':
      return isChannel(value.channel) ? (value as unknown as AriEvent) : null;
    case 'PlaybackStarted':
    case 'PlaybackFinished':
      return isObject(value.playback) && isId(value.playback.id) && typeof value.playback.target_uri === 'string'
        ? (value as unknown as AriEvent)
        : null;
    default:
      // Dial, bridges' events and the rest: nothing Linedesk acts on.
      return null;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** As the generic adapter's call ids: printable ASCII without spaces, at most 200. */
const isId = (value: unknown): value is string => typeof value === 'string' && /^[\x21-\x7e]{1,200}$/.test(value);

const isShortText = (value: unknown) => typeof value === 'string' && value.length <= 200;

function isChannel(value: unknown): boolean {
  return (
    isObject(value) &&
    isId(value.id) &&
    typeof value.state === 'string' &&
    isObject(value.caller) &&
    typeof value.caller.number === 'string' &&
    isObject(value.dialplan) &&
    typeof value.dialplan.exten === 'string' &&
    typeof value.dialplan.app_name === 'string' &&
    typeof value.dialplan.app_data === 'string'
  );
}

/** The caller ID as a number Linedesk can read, or null (withheld, "anonymous", garbage). */
export function callerNumberOf(number: string): string | null {
  const trimmed = number.trim();
  return /^\+?[0-9][0-9 ()-]{0,62}$/.test(trimmed) ? trimmed : null;
}

/** A number dialled or an IVR choice as the lines' `dialled` lists hold them, or null (the default line). */
export function dialledOf(value: string | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return /^[0-9A-Za-z+*#(). -]{1,40}$/.test(trimmed) && trimmed !== 's' ? trimmed : null;
}
