import type { NasAnswer } from '../../common/api/nas-sessions.js';
import type { AccountState } from '../../common/api/subscribers.js';

/**
 * What nas-sessions asks of a NAS, and an adapter in src/integrations/ does (RADIUS's RFC 5176,
 * integrations/radius/nas-requests.ts), wired in src/server/main.ts: end a session, or change it
 * in place. Each resolves with the NAS's answer, 'no-answer' included; it rejects only when the
 * request could not be made at all (a NAS no longer listed, its secret unreadable).
 */
export interface NasRequests {
  /** Disconnect-Request: the session ends; the CPE logs in again and gets the account's state then. */
  disconnect(session: SessionOnNas): Promise<NasAnswer>;
  /** CoA-Request carrying the account's service (its speed, or the walled garden) for that NAS's vendor. */
  changeOfAuthorization(session: SessionOnNas, service: AccountService): Promise<NasAnswer>;
  /** Whether this NAS changes a session's speed in place on a CoA; if not, a tariff change disconnects. */
  changesSpeedInPlace(nas: string): Promise<boolean>;
}

/** A session as the NAS knows it: what a Disconnect or CoA names it by (RFC 5176 §3). */
export interface SessionOnNas {
  nas: string;
  acctSessionId: string;
  userName: string | null;
  framedIp: string | null;
}

/** What an account's session should get: the state and the tariff's speed. */
export interface AccountService {
  state: AccountState;
  downloadMbps: number;
}

/** A server without a NAS to tell (tests of other modules, a desk without RADIUS): nothing ever answers. */
export const noNasRequests: NasRequests = {
  disconnect: async (session) => unanswered('disconnect', session),
  changeOfAuthorization: async (session) => unanswered('coa', session),
  changesSpeedInPlace: async () => false,
};

const unanswered = (request: NasAnswer['request'], session: SessionOnNas): NasAnswer => ({
  request,
  nas: session.nas,
  acctSessionId: session.acctSessionId,
  answer: 'no-answer',
  errorCause: null,
  errorCauseWords: null,
  answeredAt: new Date().toISOString(),
});
