import type {
  SaveSnmpNodeRequest,
  SaveSnmpPollingRequest,
  SnmpAuthProtocol,
  SnmpNodeView,
  SnmpPollingSettings,
  SnmpPrivProtocol,
  SnmpVersion,
} from '@common/api/snmp-settings.ts';

/**
 * The SNMP node form apart from the screen, so its rules can be tested: what is checked before
 * sending (the server's rules, src/common/api/snmp-settings.ts), and which credentials are sent.
 * Credentials are write-only: the form starts with them empty, and an empty field on an edit keeps
 * the stored one.
 */
export interface SnmpNodeDraft {
  node: string;
  version: SnmpVersion;
  community: string;
  user: string;
  authProtocol: SnmpAuthProtocol;
  authKey: string;
  privProtocol: SnmpPrivProtocol | null;
  privKey: string;
  port: number;
  bounceAllowed: boolean;
  /** Empty: the global interval. */
  intervalSeconds: number | '';
}

export function draftOf(view: SnmpNodeView | undefined): SnmpNodeDraft {
  return {
    node: view?.node ?? '',
    version: view?.version ?? 'v2c',
    community: '',
    user: view?.v3?.user ?? '',
    authProtocol: view?.v3?.authProtocol ?? 'sha',
    authKey: '',
    // A new v3 user gets privacy: authNoPriv sends the polled data in clear.
    privProtocol: view ? (view.v3?.privProtocol ?? null) : 'aes',
    privKey: '',
    port: view?.port ?? 161,
    bounceAllowed: view?.bounceAllowed ?? false,
    intervalSeconds: view?.intervalSeconds ?? '',
  };
}

export type DraftField = 'node' | 'community' | 'user' | 'authKey' | 'privKey' | 'port' | 'intervalSeconds';
export type DraftProblem = 'rule' | 'required' | 'taken' | 'range';

const nodeName = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
// Printable ASCII without spaces: what a switch's CLI takes as a community or a USM pass phrase.
const printable = (min: number, max: number) => new RegExp(`^[\\x21-\\x7E]{${min},${max}}$`);
const community = printable(1, 64);
const user = printable(1, 64);
// RFC 3414: pass phrases of at least 8 characters.
const passPhrase = printable(8, 128);

/**
 * Whether the stored credentials stand in for empty fields: same version, stored, and openable by
 * this server (after SETTINGS_KEY changed they must be given again).
 */
const storedKept = (draft: SnmpNodeDraft, editing: SnmpNodeView | undefined) =>
  editing !== undefined && editing.version === draft.version && editing.credentialsSet && editing.credentialsReadable;

/** What is wrong with the draft, field by field; empty when it may be sent. */
export function draftProblems(
  draft: SnmpNodeDraft,
  editing: SnmpNodeView | undefined,
  configured: readonly string[],
): Partial<Record<DraftField, DraftProblem>> {
  const found: Partial<Record<DraftField, DraftProblem>> = {};
  const kept = storedKept(draft, editing);
  if (!editing) {
    const name = draft.node.trim();
    if (!nodeName.test(name)) found.node = 'rule';
    else if (configured.includes(name)) found.node = 'taken';
  }
  if (draft.version === 'v2c') {
    if (draft.community === '') {
      if (!kept) found.community = 'required';
    } else if (!community.test(draft.community)) found.community = 'rule';
  } else {
    if (!user.test(draft.user)) found.user = draft.user === '' ? 'required' : 'rule';
    if (draft.authKey === '') {
      if (!kept) found.authKey = 'required';
    } else if (!passPhrase.test(draft.authKey)) found.authKey = 'rule';
    if (draft.privProtocol !== null) {
      // A privacy key is kept only where one was stored with a protocol.
      if (draft.privKey === '') {
        if (!(kept && editing?.v3?.privProtocol)) found.privKey = 'required';
      } else if (!passPhrase.test(draft.privKey)) found.privKey = 'rule';
    }
  }
  if (!Number.isInteger(draft.port) || draft.port < 1 || draft.port > 65_535) found.port = 'range';
  if (draft.intervalSeconds !== '') {
    const seconds = draft.intervalSeconds;
    if (!Number.isInteger(seconds) || seconds < 10 || seconds > 86_400) found.intervalSeconds = 'range';
  }
  return found;
}

/** The request for a draft that passed draftProblems: only the credentials typed in are sent. */
export function saveRequestOf(draft: SnmpNodeDraft, editing: SnmpNodeView | undefined): SaveSnmpNodeRequest {
  const request: SaveSnmpNodeRequest = {
    version: draft.version,
    port: draft.port,
    bounceAllowed: draft.bounceAllowed,
    intervalSeconds: draft.intervalSeconds === '' ? null : draft.intervalSeconds,
    ...(editing ? { settingsVersion: editing.settingsVersion } : {}),
  };
  if (draft.version === 'v2c') {
    if (draft.community !== '') request.community = draft.community;
    return request;
  }
  request.v3 = {
    user: draft.user,
    authProtocol: draft.authProtocol,
    privProtocol: draft.privProtocol,
    ...(draft.authKey !== '' ? { authKey: draft.authKey } : {}),
    ...(draft.privProtocol !== null && draft.privKey !== '' ? { privKey: draft.privKey } : {}),
  };
  return request;
}

/** The poller's settings' ranges, as the server checks them. */
export const pollingRanges: Record<keyof SnmpPollingSettings, [number, number]> = {
  intervalSeconds: [10, 86_400],
  timeoutMs: [100, 60_000],
  retries: [0, 5],
  backoffMaxSeconds: [10, 86_400],
  jitterPercent: [0, 50],
  concurrency: [1, 256],
};

export const pollingFields = Object.keys(pollingRanges) as (keyof SnmpPollingSettings)[];

/** The fields out of range; empty when the settings may be sent. */
export const pollingProblems = (polling: Record<keyof SnmpPollingSettings, number | ''>) =>
  pollingFields.filter((field) => {
    const value = polling[field];
    const [min, max] = pollingRanges[field];
    return value === '' || !Number.isInteger(value) || value < min || value > max;
  });

/** `settingsVersion` as read; none while the defaults are in force (version 0). */
export const pollingRequestOf = (polling: SnmpPollingSettings, version: number): SaveSnmpPollingRequest => ({
  ...polling,
  ...(version > 0 ? { settingsVersion: version } : {}),
});
