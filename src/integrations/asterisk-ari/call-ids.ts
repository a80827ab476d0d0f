/**
 * The ids Linedesk gives the channels and bridges it creates (ARI lets the creator choose them:
 * channels.json originate's channelId, snoopChannel's snoopId, bridges.json createWithId). Each
 * names the call it belongs to and its part in it, so an instance that takes over after another
 * reads everything it needs from GET /channels and /bridges, and a repeated command (the jobs
 * retry) finds the channel it would create already there (409) instead of ringing twice.
 *
 * An inbound call's channel keeps Asterisk's own id: that id is the contact's callId.
 */

export type ChannelRole = 'agent' | 'supervisor' | 'snoop' | 'outbound' | 'callee';

const SEPARATOR = ';';

export function channelIdOf(callId: string, role: ChannelRole, who: string): string {
  return [callId, role, who].join(SEPARATOR);
}

/** The call and part of a channel Linedesk created; null for a channel Asterisk created (an inbound call). */
export function partOf(channelId: string): { callId: string; role: ChannelRole; who: string } | null {
  const parts = channelId.split(SEPARATOR);
  if (parts.length !== 3) return null;
  const [callId = '', role = '', who = ''] = parts;
  if (!['agent', 'supervisor', 'snoop', 'outbound', 'callee'].includes(role)) return null;
  return { callId, role: role as ChannelRole, who };
}

/** The mixing bridge where the caller talks to the agent (and a supervisor barges in). */
export const callBridgeId = (callId: string) => `linedesk-${callId}`;
/** A supervisor's own bridge with the snoop channel (listen, whisper). */
export const supervisorBridgeId = (callId: string, extension: string) => `linedesk-${callId}-supervisor-${extension}`;

/** The call a bridge of Linedesk's belongs to. */
export function callOfBridge(bridgeId: string): string | null {
  const match = /^linedesk-(.+?)(-supervisor-[^;]*)?$/.exec(bridgeId);
  return match ? (match[1] as string) : null;
}

/** Playbacks of announcements carry the call, so their end puts that caller back on hold music. */
export const announcementIdOf = (callId: string, serial: string) =>
  `${callId}${SEPARATOR}announcement${SEPARATOR}${serial}`;
export function callOfAnnouncement(playbackId: string): string | null {
  const parts = playbackId.split(SEPARATOR);
  return parts.length === 3 && parts[1] === 'announcement' ? (parts[0] as string) : null;
}

/** The outbound call of a contact (a callback): no inbound channel, so a call id of its own. */
export const outboundCallId = (contactId: number) => `outbound-${contactId}`;
