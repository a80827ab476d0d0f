/**
 * Asterisk REST Interface (ARI) models, as Asterisk publishes them in its repository's
 * rest-api/api-docs: channels.json (Channel, CallerID, DialplanCEP), bridges.json (Bridge),
 * playbacks.json (Playback) and events.json (Message, Event and its subtypes). Only the fields
 * Linedesk reads are typed; Asterisk sends more, and they are left alone. Names and field
 * spellings are ARI's own (snake_case where ARI writes it so), so a reader can hold them against
 * the published models.
 */

/** channels.json CallerID. */
export interface CallerID {
  name: string;
  number: string;
}

/** channels.json DialplanCEP: where the channel is in the dialplan (for an inbound call, the number dialled in `exten`). */
export interface DialplanCEP {
  context: string;
  exten: string;
  priority: number;
  app_name: string;
  app_data: string;
}

/** channels.json Channel.state's allowable values. */
export type ChannelState =
  | 'Down'
  | 'Rsrved'
  | 'OffHook'
  | 'Dialing'
  | 'Ring'
  | 'Ringing'
  | 'Up'
  | 'Busy'
  | 'Dialing Offhook'
  | 'Pre-ring'
  | 'Unknown';

/** channels.json Channel. */
export interface Channel {
  id: string;
  protocol_id: string;
  name: string;
  state: ChannelState;
  caller: CallerID;
  connected: CallerID;
  accountcode: string;
  dialplan: DialplanCEP;
  /** ARI's Date: ISO 8601 with an offset. */
  creationtime: string;
  language: string;
  channelvars?: Record<string, string>;
}

/** bridges.json Bridge. */
export interface Bridge {
  id: string;
  technology: string;
  /** 'mixing', 'holding' … */
  bridge_type: string;
  bridge_class: string;
  creator: string;
  name: string;
  /** Ids of the channels in the bridge. */
  channels: string[];
  creationtime: string;
}

/** playbacks.json Playback. */
export interface Playback {
  id: string;
  media_uri: string;
  next_media_uri?: string;
  /** `channel:<id>` or `bridge:<id>`. */
  target_uri: string;
  language?: string;
  state: 'queued' | 'playing' | 'continuing' | 'done' | 'failed';
}

/** events.json Event: every event an application gets carries these (Message's `type` names the subtype). */
interface Event<Type extends string> {
  type: Type;
  application: string;
  timestamp: string;
  asterisk_id?: string;
}

/** A channel entered the application (the dialplan's Stasis(), an originate into it, a snoop): `args` are the application's arguments. */
export interface StasisStart extends Event<'StasisStart'> {
  args: string[];
  channel: Channel;
  replace_channel?: Channel;
}
export interface StasisEnd extends Event<'StasisEnd'> {
  channel: Channel;
}
/** The channel is gone; `cause` is the Q.850 cause (16 normal clearing, 17 busy, 19 no answer, 21 rejected …). */
export interface ChannelDestroyed extends Event<'ChannelDestroyed'> {
  cause: number;
  cause_txt: string;
  channel: Channel;
}
export interface ChannelHangupRequest extends Event<'ChannelHangupRequest'> {
  cause?: number;
  soft?: boolean;
  channel: Channel;
}
export interface ChannelStateChange extends Event<'ChannelStateChange'> {
  channel: Channel;
}
export interface ChannelDtmfReceived extends Event<'ChannelDtmfReceived'> {
  digit: string;
  duration_ms: number;
  channel: Channel;
}
export interface PlaybackStarted extends Event<'PlaybackStarted'> {
  playback: Playback;
}
export interface PlaybackFinished extends Event<'PlaybackFinished'> {
  playback: Playback;
}
/** Dialling progress of an originated channel: `dialstatus` ANSWER, BUSY, NOANSWER, CANCEL … (empty while ringing). */
export interface Dial extends Event<'Dial'> {
  caller?: Channel;
  peer: Channel;
  dialstring?: string;
  dialstatus: string;
}
export interface ChannelEnteredBridge extends Event<'ChannelEnteredBridge'> {
  bridge: Bridge;
  channel?: Channel;
}
export interface ChannelLeftBridge extends Event<'ChannelLeftBridge'> {
  bridge: Bridge;
  channel: Channel;
}
export interface BridgeDestroyed extends Event<'BridgeDestroyed'> {
  bridge: Bridge;
}

/** The events Linedesk's application acts on or tolerates; anything else is logged at debug and ignored. */
export type AriEvent =
  | StasisStart
  | StasisEnd
  | ChannelDestroyed
  | ChannelHangupRequest
  | ChannelStateChange
  | ChannelDtmfReceived
  | PlaybackStarted
  | PlaybackFinished
  | Dial
  | ChannelEnteredBridge
  | ChannelLeftBridge
  | BridgeDestroyed;

export type AriEventType = AriEvent['type'];

/** channels.json snoopChannel's `spy` and `whisper` allowable values. */
export type SnoopDirection = 'none' | 'both' | 'out' | 'in';
