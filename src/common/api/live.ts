import { type Static, Type } from 'typebox';
import { StrictObject } from '../schema-kit.js';

/** The live channel (GET /api/live, server-sent events): docs/api.md, "Live channel". */
export const LIVE_PATH = '/api/live';

/** Sent instead of the events a browser missed when they are no longer kept: refetch everything. */
export const LIVE_RESET = 'reset';

/** An event's id: the position to resume from after a reconnect. */
const EventId = Type.String({ pattern: '^[0-9]{1,15}$', maxLength: 15 });

export const LiveQuery = StrictObject({
  /** The last event seen, for a new EventSource (which cannot set the Last-Event-ID header itself). */
  lastEventId: Type.Optional(EventId),
});
export type LiveQuery = Static<typeof LiveQuery>;

/** EventSource sends it on its own reconnects. */
export const LiveHeaders = Type.Object({ 'last-event-id': Type.Optional(EventId) });

/** What an event carries: ids and small values, never personal data. */
export type LiveData = Record<string, string | number | boolean | null>;
