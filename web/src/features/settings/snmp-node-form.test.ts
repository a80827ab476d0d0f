import type { SnmpNodeView } from '@common/api/snmp-settings.ts';
import { describe, expect, it } from 'vitest';
import {
  draftOf,
  draftProblems,
  pollingProblems,
  pollingRequestOf,
  type SnmpNodeDraft,
  saveRequestOf,
} from './snmp-node-form.ts';

function stored(overrides: Partial<SnmpNodeView> = {}): SnmpNodeView {
  return {
    node: 'sw-lenina-12-1',
    kind: 'access_switch',
    model: 'DES-3200-28',
    managementIp: '127.0.10.1',
    version: 'v2c',
    port: 161,
    bounceAllowed: false,
    intervalSeconds: null,
    v3: null,
    credentialsSet: true,
    credentialsReadable: true,
    settingsVersion: 12,
    updatedAt: '2026-12-06T09:00:00.000Z',
    updatedBy: 'Администратор',
    ...overrides,
  };
}

const v3Stored = (privProtocol: 'aes' | null = 'aes') =>
  stored({ version: 'v3', v3: { user: 'linedesk', authProtocol: 'sha', privProtocol } });

const draft = (overrides: Partial<SnmpNodeDraft> = {}): SnmpNodeDraft => ({ ...draftOf(undefined), ...overrides });

describe('a new node', () => {
  it('needs a name as the network records spell it, not one already configured', () => {
    expect(draftProblems(draft({ node: 'sw 1', community: 'public' }), undefined, []).node).toBe('rule');
    expect(draftProblems(draft({ node: '', community: 'public' }), undefined, []).node).toBe('rule');
    expect(draftProblems(draft({ node: 'sw-1', community: 'public' }), undefined, ['sw-1']).node).toBe('taken');
    expect(draftProblems(draft({ node: 'sw-1', community: 'public' }), undefined, [])).toEqual({});
  });

  it('needs its community (v2c) or its user and keys (v3)', () => {
    expect(draftProblems(draft({ node: 'sw-1' }), undefined, [])).toEqual({ community: 'required' });
    expect(draftProblems(draft({ node: 'sw-1', version: 'v3' }), undefined, [])).toEqual({
      user: 'required',
      authKey: 'required',
      privKey: 'required',
    });
    expect(
      draftProblems(
        draft({ node: 'sw-1', version: 'v3', user: 'ld', authKey: 'short', privKey: 'with space1' }),
        undefined,
        [],
      ),
    ).toEqual({ authKey: 'rule', privKey: 'rule' });
  });

  it('asks no privacy key for authNoPriv', () => {
    const noPriv = draft({ node: 'sw-1', version: 'v3', user: 'ld', authKey: 'auth-pass-1', privProtocol: null });
    expect(draftProblems(noPriv, undefined, [])).toEqual({});
    expect(saveRequestOf({ ...noPriv, privKey: 'left-over-1' }, undefined).v3).toEqual({
      user: 'ld',
      authProtocol: 'sha',
      privProtocol: null,
      authKey: 'auth-pass-1',
    });
  });

  it('checks the port and its own interval against the server’s ranges; an empty interval is the global one', () => {
    expect(draftProblems(draft({ node: 'sw-1', community: 'c', port: 0 }), undefined, []).port).toBe('range');
    expect(
      draftProblems(draft({ node: 'sw-1', community: 'c', intervalSeconds: 5 }), undefined, []).intervalSeconds,
    ).toBe('range');
    expect(saveRequestOf(draft({ node: 'sw-1', community: 'c' }), undefined).intervalSeconds).toBeNull();
  });

  it('is sent without a settings version', () => {
    const request = saveRequestOf(draft({ node: 'sw-1', community: 'public', bounceAllowed: true }), undefined);
    expect(request).toEqual({
      version: 'v2c',
      port: 161,
      bounceAllowed: true,
      intervalSeconds: null,
      community: 'public',
    });
  });
});

describe('an edit', () => {
  it('starts with every credential empty: they are never shown back', () => {
    const start = draftOf(v3Stored());
    expect(start).toMatchObject({ version: 'v3', user: 'linedesk', community: '', authKey: '', privKey: '' });
  });

  it('keeps the stored credentials when their fields stay empty, and sends none', () => {
    const v2c = draftOf(stored());
    expect(draftProblems(v2c, stored(), ['sw-lenina-12-1'])).toEqual({});
    expect(saveRequestOf(v2c, stored())).toEqual({
      version: 'v2c',
      port: 161,
      bounceAllowed: false,
      intervalSeconds: null,
      settingsVersion: 12,
    });
    const v3 = draftOf(v3Stored());
    expect(draftProblems(v3, v3Stored(), [])).toEqual({});
    expect(saveRequestOf(v3, v3Stored()).v3).toEqual({ user: 'linedesk', authProtocol: 'sha', privProtocol: 'aes' });
  });

  it('sends only the key typed in', () => {
    const request = saveRequestOf({ ...draftOf(v3Stored()), privKey: 'new-priv-key' }, v3Stored());
    expect(request.v3).toEqual({ user: 'linedesk', authProtocol: 'sha', privProtocol: 'aes', privKey: 'new-priv-key' });
  });

  it('needs new credentials when the version changes, or when this server cannot open the stored ones', () => {
    expect(draftProblems({ ...draftOf(stored()), version: 'v3', user: 'ld' }, stored(), []).authKey).toBe('required');
    const unreadable = stored({ credentialsReadable: false });
    expect(draftProblems(draftOf(unreadable), unreadable, []).community).toBe('required');
  });

  it('needs a privacy key when privacy is turned on where none was stored', () => {
    const noPriv = v3Stored(null);
    expect(draftProblems({ ...draftOf(noPriv), privProtocol: 'aes' }, noPriv, [])).toEqual({ privKey: 'required' });
  });
});

describe('the poller’s settings', () => {
  const defaults = {
    intervalSeconds: 300,
    timeoutMs: 2000,
    retries: 1,
    backoffMaxSeconds: 3600,
    jitterPercent: 10,
    concurrency: 32,
  };

  it('name each field out of range or empty', () => {
    expect(pollingProblems(defaults)).toEqual([]);
    expect(pollingProblems({ ...defaults, retries: 6, jitterPercent: '', timeoutMs: 99.5 })).toEqual([
      'timeoutMs',
      'retries',
      'jitterPercent',
    ]);
  });

  it('are sent with the version read, and none while the defaults are in force', () => {
    expect(pollingRequestOf(defaults, 0)).toEqual(defaults);
    expect(pollingRequestOf(defaults, 7)).toEqual({ ...defaults, settingsVersion: 7 });
  });
});
