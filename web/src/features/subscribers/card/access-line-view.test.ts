import type { AccessLineChange, AccessLinePanel, NodeState, OntState, PortState } from '@common/api/access-line.ts';
import type { NasSession } from '@common/api/nas-sessions.ts';
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import en from '../../../i18n/en.json';
import ru from '../../../i18n/ru.json';
import {
  alertChanges,
  changeKind,
  changeTone,
  cpeMatch,
  levelStanding,
  lineChangesOf,
  lineVerdict,
  linkState,
  mergeTimeline,
  otherMacs,
  reachability,
  rxStanding,
  splitAlerts,
  wakesPanel,
} from './access-line-view.ts';
import { downCauseHint, downCauseText, formatDbm, lineChangeText, ontDownCauses } from './access-line-words.ts';
import { ageOf } from './session-view.ts';

let russian: TFunction;
let english: TFunction;

beforeAll(async () => {
  const instance = i18next.createInstance();
  await instance.init({
    resources: { ru: { translation: ru }, en: { translation: en } },
    lng: 'ru',
    interpolation: { escapeValue: false },
  });
  russian = instance.getFixedT('ru');
  english = instance.getFixedT('en');
});

function port(overrides: Partial<PortState> = {}): PortState {
  return {
    node: 'sw-lenina-12-1',
    port: 'ge-0/0/12',
    ifIndex: 12,
    adminStatus: 'up',
    operStatus: 'up',
    since: '2026-12-06T08:00:00.000Z',
    speedMbps: 100,
    duplex: 'full',
    inErrors: 0,
    outErrors: 0,
    errorsPerHour: 0,
    errorTrend: 'steady',
    macs: ['00:1a:2b:3c:4d:5e'],
    cpeMacOnRecord: '00:1a:2b:3c:4d:5e',
    cpeSeen: true,
    macsCheckedAt: '2026-12-06T09:00:00.000Z',
    checkedAt: '2026-12-06T09:00:00.000Z',
    ...overrides,
  };
}

function ont(overrides: Partial<OntState> = {}): OntState {
  return {
    node: 'olt-centr-1',
    ponPort: '0/1/3',
    ontId: 7,
    state: 'online',
    since: '2026-12-06T08:00:00.000Z',
    lastDownCause: null,
    rxPowerDbm: -19.5,
    txPowerDbm: 2.1,
    rxMinDbm: -27,
    rxMaxDbm: -8,
    rxWithin: true,
    checkedAt: '2026-12-06T09:00:00.000Z',
    ...overrides,
  };
}

function node(overrides: Partial<NodeState> = {}): NodeState {
  return {
    node: 'sw-lenina-12-1',
    kind: 'access_switch',
    managementIp: '127.0.10.1',
    reachable: true,
    since: '2026-12-01T00:00:00.000Z',
    checkedAt: '2026-12-06T09:00:00.000Z',
    alerts: [],
    ...overrides,
  };
}

const panel = (overrides: Partial<AccessLinePanel> = {}): AccessLinePanel => ({
  port: port(),
  ont: null,
  nodes: [node(), node({ node: 'agg-centr-1', kind: 'aggregation', managementIp: '127.0.1.1' })],
  changes: [],
  canBouncePort: false,
  readAt: '2026-12-06T09:00:40.000Z',
  ...overrides,
});

const change = (name: string, at: string, details: Record<string, unknown> = {}): AccessLineChange => ({
  at,
  change: name,
  node: 'sw-lenina-12-1',
  details,
});

function session(startedAt: string, endedAt: string | null): NasSession {
  return {
    nas: 'bras-1',
    acctSessionId: startedAt,
    state: endedAt ? 'closed' : 'open',
    startSeen: true,
    startedAt,
    lastEventAt: endedAt ?? startedAt,
    endedAt,
    terminateCause: endedAt ? 'Lost-Carrier' : null,
    framedIp: null,
    framedIpv6Prefix: null,
    delegatedIpv6Prefix: null,
    bytesDown: 0,
    bytesUp: 0,
    changes: [],
  };
}

describe('the access port', () => {
  it('says admin down before anything else: a port switched off has no link to speak of', () => {
    expect(linkState(port({ adminStatus: 'down', operStatus: 'down' }))).toBe('admin-down');
    expect(linkState(port({ operStatus: 'down' }))).toBe('down');
    expect(linkState(port({ operStatus: 'lowerLayerDown' }))).toBe('down');
    expect(linkState(port())).toBe('up');
    expect(linkState(port({ operStatus: 'dormant' }))).toBe('other');
    expect(linkState(port({ operStatus: null }))).toBe('unknown');
  });

  it('tells the CPE on the port from someone else’s MAC and from none', () => {
    expect(cpeMatch(port())).toBe('cpe-seen');
    // Whatever the form the CPE was recorded in.
    expect(cpeMatch(port({ cpeMacOnRecord: '00-1A-2B-3C-4D-5E', cpeSeen: null }))).toBe('cpe-seen');
    expect(cpeMatch(port({ macs: ['aa:bb:cc:dd:ee:ff'], cpeSeen: false }))).toBe('foreign-mac');
    expect(cpeMatch(port({ macs: [], cpeSeen: false }))).toBe('no-mac');
    expect(cpeMatch(port({ cpeMacOnRecord: null, cpeSeen: null }))).toBe('no-cpe-on-record');
    expect(cpeMatch(port({ macsCheckedAt: null, macs: [], cpeSeen: null }))).toBe('not-read');
  });

  it('on a PON port, only says whether the CPE is among the many ONTs’ MACs', () => {
    const pon = port({ macs: ['aa:bb:cc:dd:ee:01', 'aa:bb:cc:dd:ee:02'], cpeSeen: false });
    expect(cpeMatch(pon, true)).toBe('cpe-absent');
    expect(cpeMatch({ ...pon, macs: [...pon.macs, '00:1a:2b:3c:4d:5e'], cpeSeen: true }, true)).toBe('cpe-seen');
  });

  it('names the MACs other than the CPE', () => {
    expect(otherMacs(port({ macs: ['00:1a:2b:3c:4d:5e', 'aa:bb:cc:dd:ee:ff'] }))).toEqual(['aa:bb:cc:dd:ee:ff']);
    expect(otherMacs(port({ cpeMacOnRecord: null }))).toEqual(['00:1a:2b:3c:4d:5e']);
  });
});

describe('an optical level against the window', () => {
  it('is low below the minimum, high above the maximum, within on and between the edges', () => {
    expect(levelStanding(-27.1, -27, -8)).toBe('low');
    expect(levelStanding(-27, -27, -8)).toBe('within');
    expect(levelStanding(-8, -27, -8)).toBe('within');
    expect(levelStanding(-7.9, -27, -8)).toBe('high');
    expect(levelStanding(null, -27, -8)).toBe('not-read');
  });

  it('reads the ONT’s receive level against its own window', () => {
    expect(rxStanding(ont({ rxPowerDbm: -29.3 }))).toBe('low');
    expect(rxStanding(ont({ rxPowerDbm: -19.5, rxMinDbm: -18 }))).toBe('low');
    expect(rxStanding(ont())).toBe('within');
  });

  it('is written with a real minus sign and the language’s decimal separator', () => {
    expect(formatDbm(-19.46, 'ru-RU')).toBe('\u221219,5');
    expect(formatDbm(-19.46, 'en-GB')).toBe('\u221219.5');
    expect(formatDbm(2, 'ru-RU')).toBe('2,0');
  });
});

describe('the line’s verdict', () => {
  it('puts a node that does not answer first: it explains every subscriber behind it', () => {
    const dead = panel({ nodes: [node(), node({ node: 'agg-centr-1', reachable: false })] });
    expect(lineVerdict({ ...dead, port: port({ operStatus: 'down' }) })).toBe('node-unreachable');
  });

  it('then the ONT, the port, alerts and a level out of range', () => {
    expect(lineVerdict(panel({ port: null, ont: ont({ state: 'offline' }) }))).toBe('ont-offline');
    expect(lineVerdict(panel({ port: port({ adminStatus: 'down' }) }))).toBe('port-admin-down');
    expect(lineVerdict(panel({ port: port({ operStatus: 'down' }) }))).toBe('port-down');
    const alert = {
      source: 'zabbix' as const,
      node: 'agg-centr-1',
      name: 'High CPU',
      severity: 'high',
      status: 'firing' as const,
      acknowledged: false,
      summary: null,
      startedAt: '2026-12-06T08:30:00.000Z',
      endedAt: null,
      updatedAt: '2026-12-06T08:30:00.000Z',
    };
    expect(lineVerdict(panel({ nodes: [node({ alerts: [alert] })] }))).toBe('alerts');
    expect(lineVerdict(panel({ port: null, ont: ont({ rxPowerDbm: -30 }) }))).toBe('rx-out-of-range');
    expect(lineVerdict(panel())).toBe('up');
    expect(lineVerdict(panel({ port: null, nodes: [] }))).toBe('unknown');
  });

  it('says a node without SNMP settings is not polled rather than down', () => {
    expect(reachability(node({ reachable: null }))).toBe('not-polled');
    expect(reachability(node({ reachable: false }))).toBe('unreachable');
    expect(lineVerdict(panel({ nodes: [node({ reachable: null })] }))).toBe('up');
  });
});

describe('alerts on a node', () => {
  it('are split into firing and resolved, each newest first', () => {
    const base = {
      source: 'alertmanager' as const,
      node: 'sw-lenina-12-1',
      severity: null,
      acknowledged: false,
      summary: null,
      updatedAt: '2026-12-06T09:00:00.000Z',
    };
    const { firing, resolved } = splitAlerts([
      { ...base, name: 'old', status: 'firing', startedAt: '2026-12-05T00:00:00.000Z', endedAt: null },
      {
        ...base,
        name: 'gone',
        status: 'resolved',
        startedAt: '2026-12-01T00:00:00.000Z',
        endedAt: '2026-12-02T00:00:00.000Z',
      },
      { ...base, name: 'new', status: 'firing', startedAt: '2026-12-06T00:00:00.000Z', endedAt: null },
      {
        ...base,
        name: 'later',
        status: 'resolved',
        startedAt: '2026-11-30T00:00:00.000Z',
        endedAt: '2026-12-04T00:00:00.000Z',
      },
    ]);
    expect(firing.map((alert) => alert.name)).toEqual(['new', 'old']);
    expect(resolved.map((alert) => alert.name)).toEqual(['later', 'gone']);
  });
});

describe('a live wake-up', () => {
  const withIds = () =>
    panel({ nodes: [node({ nodeId: 4 }), node({ node: 'agg-centr-1', kind: 'aggregation', nodeId: 2 })] });

  it('reads the panel again when it names one of its nodes, and not for another node', () => {
    expect(wakesPanel(withIds(), { nodeId: 2 })).toBe(true);
    expect(wakesPanel(withIds(), { nodeId: 4 })).toBe(true);
    expect(wakesPanel(withIds(), { nodeId: 9 })).toBe(false);
  });

  it('reads again when it cannot tell (no panel yet, nodes without ids, a wake-up without one)', () => {
    expect(wakesPanel(undefined, { nodeId: 2 })).toBe(true);
    expect(wakesPanel(panel(), { nodeId: 2 })).toBe(true);
    expect(wakesPanel(withIds(), {})).toBe(true);
  });
});

describe('the timeline', () => {
  it('merges sessions (at their start) and line changes newest first', () => {
    const rows = mergeTimeline(
      [session('2026-12-06T10:05:00.000Z', null), session('2026-12-06T09:00:00.000Z', '2026-12-06T10:00:00.000Z')],
      [
        change('port-up', '2026-12-06T10:04:00.000Z'),
        change('port-down', '2026-12-06T10:00:00.000Z'),
        change('alert-firing', '2026-12-06T09:30:00.000Z'),
        change('node-reachable', '2026-12-06T08:00:00.000Z'),
      ],
    );
    expect(rows.map((row) => (row.kind === 'session' ? `session ${row.at}` : row.change.change))).toEqual([
      'session 2026-12-06T10:05:00.000Z',
      'port-up',
      'port-down',
      'alert-firing',
      'session 2026-12-06T09:00:00.000Z',
      'node-reachable',
    ]);
  });

  it('puts the session above a change at the same instant (the port came up, then the router logged in)', () => {
    const at = '2026-12-06T10:00:00.000Z';
    const rows = mergeTimeline([session(at, null)], [change('port-up', at)]);
    expect(rows.map((row) => row.kind)).toEqual(['session', 'line']);
  });

  it('keeps the server’s order of changes on the same instant', () => {
    const at = '2026-12-06T10:00:00.000Z';
    const rows = mergeTimeline([], [change('ont-offline', at), change('port-down', at)]);
    expect(rows.map((row) => (row.kind === 'line' ? row.change.change : ''))).toEqual(['ont-offline', 'port-down']);
  });

  it('carries each alert as raised at its start and resolved at its end, among the stored changes', () => {
    const base = {
      source: 'librenms' as const,
      node: 'agg-centr-1',
      severity: 'critical',
      acknowledged: false,
      summary: null,
      updatedAt: '2026-12-06T09:00:00.000Z',
    };
    const nodes = [
      node({
        node: 'agg-centr-1',
        alerts: [
          { ...base, name: 'Device Down', status: 'firing', startedAt: '2026-12-06T08:30:00.000Z', endedAt: null },
          {
            ...base,
            name: 'Port Down',
            status: 'resolved',
            startedAt: '2026-12-05T10:00:00.000Z',
            endedAt: '2026-12-05T11:00:00.000Z',
          },
        ],
      }),
    ];
    expect(alertChanges(nodes).map((each) => `${each.change} ${each.details.name} ${each.at}`)).toEqual([
      'alert-firing Device Down 2026-12-06T08:30:00.000Z',
      'alert-firing Port Down 2026-12-05T10:00:00.000Z',
      'alert-resolved Port Down 2026-12-05T11:00:00.000Z',
    ]);
    const stored = [change('port-down', '2026-12-06T09:00:00.000Z'), change('port-up', '2026-12-05T10:30:00.000Z')];
    expect(lineChangesOf(panel({ nodes, changes: stored })).map((each) => each.change)).toEqual([
      'port-down',
      'alert-firing',
      'alert-resolved',
      'port-up',
      'alert-firing',
    ]);
    // Once the server sends the alerts among its changes, they are not added twice.
    const withAlerts = [...stored, change('alert-firing', '2026-12-06T08:30:00.000Z')];
    expect(lineChangesOf(panel({ nodes, changes: withAlerts }))).toEqual(withAlerts);
  });

  it('marks each change by the part of the line it is about, and whether it took the line down', () => {
    expect(changeKind(change('port-down', ''))).toBe('port');
    expect(changeKind(change('cpe-mac-gone', ''))).toBe('port');
    expect(changeKind(change('ont-offline', ''))).toBe('ont');
    expect(changeKind(change('node-unreachable', ''))).toBe('node');
    expect(changeKind(change('alert-resolved', ''))).toBe('alert');
    expect(changeTone(change('port-down', ''))).toBe('bad');
    expect(changeTone(change('ont-online', ''))).toBe('good');
    expect(changeTone(change('speed-changed', ''))).toBe('neutral');
  });

  it('words each change with the detail that matters', () => {
    const at = '2026-12-06T10:00:00.000Z';
    expect(lineChangeText(russian, change('ont-offline', at, { cause: 'dying-gasp' }), 'ru-RU')).toBe(
      'ONT не в сети · пропало питание ONT (dying gasp)',
    );
    expect(lineChangeText(russian, change('port-down', at, { port: 'ge-0/0/12' }), 'ru-RU')).toBe(
      'линк пропал · ge-0/0/12',
    );
    expect(lineChangeText(russian, change('ont-rx-out-of-range', at, { rxPowerDbm: -29.3 }), 'ru-RU')).toBe(
      'уровень приёма ONT вне нормы · \u221229,3 дБм',
    );
    expect(
      lineChangeText(
        russian,
        change('alert-firing', at, { name: 'NodeDown', severity: 'critical', source: 'alertmanager' }),
        'ru-RU',
      ),
    ).toBe('авария · NodeDown · важность critical · Alertmanager');
    expect(lineChangeText(english, change('speed-changed', at, { speedMbps: 10 }), 'en-GB')).toBe(
      'port speed · 10 Mbit/s',
    );
    expect(lineChangeText(russian, change('speed-changed', at, { speedMbps: 10, was: 100 }), 'ru-RU')).toBe(
      'скорость порта · 100 → 10 Мбит/с',
    );
    expect(lineChangeText(russian, change('duplex-changed', at, { duplex: 'half', was: 'full' }), 'ru-RU')).toBe(
      'дуплекс порта · полудуплекс',
    );
    // A change this screen does not know yet is shown by its name, not dropped.
    expect(lineChangeText(russian, change('ont-reboot', at), 'ru-RU')).toBe('ont-reboot');
  });
});

describe('an ONT’s down cause', () => {
  it('is said in words for every cause the OLT reports, in both languages', () => {
    expect(downCauseText(russian, 'dying-gasp')).toBe('пропало питание ONT (dying gasp)');
    expect(downCauseText(russian, 'los')).toBe('нет сигнала — обрыв волокна (LOS)');
    for (const cause of ontDownCauses) {
      for (const t of [russian, english]) {
        const words = downCauseText(t, cause);
        expect(words).not.toContain('subscribers.card');
        expect(words).not.toBe(cause);
      }
    }
  });

  it('comes with a hint where the cause tells the agent what to ask', () => {
    expect(downCauseHint(russian, 'dying-gasp')).toMatch(/индикаторы ONT/);
    expect(downCauseHint(russian, 'deactivated')).toBeNull();
  });
});

describe('a part’s age', () => {
  it('is said in the one unit that reads best', () => {
    expect(ageOf(40)).toEqual({ unit: 'seconds', count: 40 });
    expect(ageOf(125)).toEqual({ unit: 'minutes', count: 2 });
    expect(russian('subscribers.card.session.age.seconds', { count: 40 })).toBe('40 с назад');
    expect(russian('subscribers.card.accessLine.checked', { age: '40 с назад' })).toBe('Опрошено 40 с назад');
  });
});
