import type { Db } from '../../db/connection.js';
import { publishLive } from '../live/service.js';

/**
 * The live wake-ups the contacts module sends (docs/api.md, "Live channel"): ids only, written in
 * the transaction of the change, so a browser refetches what committed and nothing else.
 */
const queueWatchers = ['l1', 'l2', 'l3', 'supervisor', 'admin'] as const;

/** The agent's desk changed: an offer, their state, a contact they are on. */
export const wakeDesk = (db: Db, staffId: number) => publishLive(db, { topic: 'desk', staffId });

/** A line's queue changed: desks of that line and the board refetch. */
export const wakeQueue = (db: Db, line: string) =>
  publishLive(db, { topic: 'queue', roles: [...queueWatchers], data: { line } });

/** An agent's state changed: the board refetches. */
export const wakeBoard = (db: Db) => publishLive(db, { topic: 'agents', roles: ['supervisor', 'admin'] });

/** A contact changed: its page and its subscriber's card refetch. */
export const wakeContact = (db: Db, contact: { id: number; subscriberId: number | null }) =>
  publishLive(db, { topic: 'contact', data: { contactId: contact.id, subscriberId: contact.subscriberId } });
