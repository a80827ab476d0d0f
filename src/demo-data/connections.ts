/**
 * How each account reaches the network (PPPoE login, or an IPoE binding by DHCP Option 82 to a
 * switch port) and the equipment at the subscriber's end (router, ONT, set-top box).
 */
import type { TableBuffer } from './bulk-insert.js';
import { isoOf } from './calendar.js';
import type { Attachment } from './network.js';
import { hash32, Permutation, type Random, Weighted } from './random.js';

interface EquipmentModel {
  kind: 'router' | 'ont' | 'stb';
  model: string;
  oui: string;
  serial: (n: number) => string;
}

const hex8 = (n: number) => n.toString(16).toUpperCase().padStart(8, '0');
const digits = (n: number, width: number) => String(n).padStart(width, '0');

const ROUTERS = new Weighted<EquipmentModel>(
  [
    { kind: 'router', model: 'TP-Link Archer C6', oui: '50:c7:bf', serial: (n) => `2231${digits(n % 1e9, 9)}` },
    { kind: 'router', model: 'TP-Link Archer C80', oui: '60:a4:b7', serial: (n) => `2245${digits(n % 1e9, 9)}` },
    { kind: 'router', model: 'Keenetic Giga', oui: '50:ff:20', serial: (n) => `S2${digits(n % 1e9, 9)}` },
    { kind: 'router', model: 'Keenetic Air', oui: '04:bf:6d', serial: (n) => `S1${digits(n % 1e9, 9)}` },
    { kind: 'router', model: 'Keenetic Speedster', oui: 'e4:18:6b', serial: (n) => `S3${digits(n % 1e9, 9)}` },
  ],
  [35, 15, 20, 18, 12],
);
const ONTS = new Weighted<EquipmentModel>(
  [
    { kind: 'ont', model: 'Huawei HG8245H', oui: '48:46:fb', serial: (n) => `48575443${hex8(n)}` },
    { kind: 'ont', model: 'ZTE F670L', oui: '34:e0:cf', serial: (n) => `ZTEG${hex8(n)}` },
  ],
  [70, 30],
);
const SET_TOP_BOX: EquipmentModel = {
  kind: 'stb',
  model: 'Eltex NV-711',
  oui: 'e0:d9:e3',
  serial: (n) => `NV711${digits(n % 1e8, 8)}`,
};
/** Routers subscribers bought elsewhere: not in the equipment table, only their MAC is seen on the line. */
const OWN_ROUTER_OUIS = ['04:d9:f5', '78:11:dc', 'c8:3a:35', 'b0:4e:26'];

/** MAC addresses unique across the demo: a counter per vendor prefix, scrambled by a bijection. */
class MacBook {
  private readonly counters = new Map<string, { next: number; macs: Permutation; serials: Permutation }>();

  constructor(private readonly seed: number) {}

  /** The vendor's next MAC, and a serial number unrelated to it. */
  next(oui: string): { mac: string; serialNumber: number } {
    let counter = this.counters.get(oui);
    if (!counter) {
      counter = {
        next: 0,
        macs: new Permutation(2 ** 24, hash32(oui, this.seed)),
        serials: new Permutation(2 ** 30, hash32(`serial ${oui}`, this.seed)),
      };
      this.counters.set(oui, counter);
    }
    const n = counter.next++;
    const hex = counter.macs.at(n).toString(16).padStart(6, '0');
    return {
      mac: `${oui}:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`,
      serialNumber: counter.serials.at(n),
    };
  }
}

const ROUTER_LIFETIME_DAYS = 5 * 365;

export interface ConnectionFacts {
  accountId: number;
  accountSerial: number;
  signedDay: number;
  today: number;
  attachment: Attachment;
  gpon: boolean;
}

export class ConnectionMaker {
  private readonly macs: MacBook;
  private equipmentId = 0;
  private staticIps = 0;

  constructor(
    seed: number,
    private readonly random: Random,
    private readonly buffers: { equipment: TableBuffer; connections: TableBuffer },
  ) {
    this.macs = new MacBook(seed);
  }

  private addEquipment(
    accountId: number,
    model: EquipmentModel,
    ownership: 'owned' | 'rented',
    installedDay: number,
  ): string {
    const { mac, serialNumber } = this.macs.next(model.oui);
    this.buffers.equipment.add(
      ++this.equipmentId,
      accountId,
      model.kind,
      model.model,
      mac,
      model.serial(serialNumber),
      ownership,
      isoOf(installedDay),
    );
    return mac;
  }

  make(facts: ConnectionFacts): void {
    const random = this.random;
    const { accountId, attachment } = facts;
    // Today's models did not exist when the oldest contracts were signed: there the device on the
    // line is a replacement from the last five years. Some newer ones were replaced too.
    const age = facts.today - facts.signedDay;
    const installed =
      age > ROUTER_LIFETIME_DAYS || random.chance(0.1)
        ? facts.today - 1 - Math.floor(random.next() * Math.min(age, ROUTER_LIFETIME_DAYS))
        : facts.signedDay;
    let lineMac: string;
    if (facts.gpon) {
      lineMac = this.addEquipment(accountId, ONTS.pick(random), random.chance(0.7) ? 'rented' : 'owned', installed);
    } else if (random.chance(0.88)) {
      lineMac = this.addEquipment(accountId, ROUTERS.pick(random), random.chance(0.4) ? 'rented' : 'owned', installed);
    } else {
      lineMac = this.macs.next(random.pick(OWN_ROUTER_OUIS)).mac;
    }
    if (random.chance(0.05)) this.addEquipment(accountId, SET_TOP_BOX, 'rented', installed);

    const node = attachment.node;
    const pppoe = random.chance(facts.gpon ? 0.5 : 0.62);
    let staticIp: string | null = null;
    if (random.chance(0.02)) {
      // Shared address space (RFC 6598), never routed on the Internet: the demo's "public" static addresses.
      const n = this.staticIps++;
      staticIp = `100.${64 + Math.floor(n / 65_024)}.${Math.floor(n / 254) % 256}.${(n % 254) + 1}`;
    }
    if (pppoe) {
      this.buffers.connections.add(
        accountId,
        accountId,
        'pppoe',
        `p${facts.accountSerial}`,
        node.id,
        attachment.portId,
        null,
        null,
        null,
        lineMac,
        staticIp,
        attachment.ontId,
      );
      return;
    }
    // One subscriber VLAN per access node; DHCP Option 82 (RFC 3046) names the port and the switch.
    const vlan = 1001 + (node.id % 2999);
    const circuitId = facts.gpon
      ? `gpon 0/${attachment.portNumber}:${attachment.ontId}`
      : `eth 0/0/${attachment.portNumber}:${vlan}`;
    this.buffers.connections.add(
      accountId,
      accountId,
      'ipoe',
      null,
      node.id,
      attachment.portId,
      vlan,
      circuitId,
      node.mac,
      lineMac,
      staticIp,
      attachment.ontId,
    );
  }
}
