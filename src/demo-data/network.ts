/**
 * The ISP's network over the demo city: two core routers, aggregation switches per district,
 * an access switch in every served apartment block (one per 24 subscribers), one small switch per
 * few private houses, and OLTs whose PON ports feed the fibre (GPON) buildings.
 *
 * Safety rule: every management address is in 127.0.0.0/8, so no poller ever leaves the machine.
 */
import type { TableBuffer } from './bulk-insert.js';
import { type Building, type City, DISTRICTS } from './city.js';
import { transliterate } from './names.js';
import { hash32, Permutation, type Random } from './random.js';

export type NodeKind = 'core' | 'aggregation' | 'access_switch' | 'olt';

interface PortLayout {
  /** Ports subscribers plug into (copper), or PON ports. */
  access: number;
  accessPrefix: string;
  accessMedium: 'copper' | 'pon' | 'fiber';
  uplinks: number;
  uplinkPrefix: string;
}

interface Model {
  name: string;
  oui: string;
  ports: PortLayout;
}

const MODELS = {
  core: {
    name: 'Juniper MX480',
    oui: '00:05:85',
    ports: { access: 32, accessPrefix: 'xe-0/0/', accessMedium: 'fiber', uplinks: 4, uplinkPrefix: 'et-1/0/' },
  },
  aggregation: {
    name: 'Huawei S6730-H48X6C',
    oui: '00:e0:fc',
    ports: { access: 48, accessPrefix: 'xe-0/0/', accessMedium: 'fiber', uplinks: 2, uplinkPrefix: 'xe-0/1/' },
  },
  snr: {
    name: 'SNR-S2985G-24T',
    oui: 'f8:f0:82',
    ports: { access: 24, accessPrefix: 'ge-0/0/', accessMedium: 'copper', uplinks: 4, uplinkPrefix: 'ge-0/0/' },
  },
  dlink: {
    name: 'D-Link DES-3200-28',
    oui: '1c:7e:e5',
    ports: { access: 24, accessPrefix: 'ge-0/0/', accessMedium: 'copper', uplinks: 4, uplinkPrefix: 'ge-0/0/' },
  },
  dlinkSmall: {
    name: 'D-Link DES-3200-10',
    oui: 'c4:a8:1d',
    ports: { access: 8, accessPrefix: 'ge-0/0/', accessMedium: 'copper', uplinks: 2, uplinkPrefix: 'ge-0/0/' },
  },
  huaweiOlt: {
    name: 'Huawei MA5608T',
    oui: '00:e0:fc',
    ports: { access: 16, accessPrefix: 'gpon-0/', accessMedium: 'pon', uplinks: 2, uplinkPrefix: 'xge-0/0/' },
  },
  zteOlt: {
    name: 'ZTE C320',
    oui: 'd0:15:4a',
    ports: { access: 16, accessPrefix: 'gpon-0/', accessMedium: 'pon', uplinks: 2, uplinkPrefix: 'xge-0/0/' },
  },
} satisfies Record<string, Model>;

/** Subscribers per copper switch; ONTs per PON port (of 64 possible, leaving room to grow). */
export const SWITCH_PORTS = 24;
const HOUSES_PER_PRIVATE_SWITCH = 3;
export const ONTS_PER_PON = 48;
const PON_PORTS = 16;
const ACCESS_NODES_PER_AGGREGATION = 40;

export interface NetworkNode {
  id: number;
  kind: NodeKind;
  name: string;
  model: Model;
  managementIp: string;
  mac: string;
  uplinkNodeId: number | null;
  buildingId: number | null;
  firstPortId: number;
  servedBuildingIds: number[];
}

/** Where a building's subscribers plug in: the k-th subscriber of a building lands by `attachmentOf`. */
export interface BuildingAttachment {
  firstNodeId: number;
  /** Position of the building's first subscriber on that node (private houses share a switch; buildings share an OLT). */
  firstPosition: number;
}

export interface Network {
  nodes: NetworkNode[];
  attachments: BuildingAttachment[];
}

export interface Attachment {
  node: NetworkNode;
  portNumber: number;
  portId: number;
  /** The ONT's number on its PON port (GPON only). */
  ontId: number | null;
}

const nodeMacs = new Permutation(2 ** 24, hash32('node-mac'));

function macWithin(oui: string, suffix: number): string {
  const hex = suffix.toString(16).padStart(6, '0');
  return `${oui}:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`;
}

/** 127.<base + carry>.x.y, never .0 or .255 in the last octet. */
export function managementIp(secondOctet: number, index: number): string {
  const last = (index % 254) + 1;
  const third = Math.floor(index / 254);
  return `127.${secondOctet + Math.floor(third / 256)}.${third % 256}.${last}`;
}

function buildingSlug(building: Building): string {
  const street = building.street;
  let slug = transliterate(street.name);
  if (street.type !== 'ул') slug += `-${transliterate(street.type)}`;
  slug += `-${transliterate(building.house.replace('/', '-'))}`;
  if (building.korpus) slug += `k${building.korpus}`;
  if (building.stroenie) slug += `s${building.stroenie}`;
  if (building.litera) slug += transliterate(building.litera);
  return slug;
}

interface PlannedAccess {
  kind: 'access_switch' | 'olt';
  name: string;
  model: Model;
  buildingIndex: number;
  served: number[];
}

export function planNetwork(city: City, random: Random): Network {
  const attachments: BuildingAttachment[] = city.buildings.map(() => ({ firstNodeId: 0, firstPosition: 0 }));
  const plannedByDistrict: PlannedAccess[][] = DISTRICTS.map(() => []);
  // Attachment node numbers are first recorded as indexes into the district's plan, then turned into ids.
  const planIndex = new Int32Array(city.buildings.length);
  const usedNames = new Set<string>();
  const uniqueName = (name: string) => {
    let candidate = name;
    for (let n = 2; usedNames.has(candidate); n++) candidate = `${name}-${n}`;
    usedNames.add(candidate);
    return candidate;
  };

  for (let d = 0; d < DISTRICTS.length; d++) {
    const plan = plannedByDistrict[d] as PlannedAccess[];
    let olt: { index: number; used: number } | null = null;
    let olts = 0;
    let privateSwitch: { index: number; used: number; streetId: number } | null = null;
    city.buildings.forEach((building, index) => {
      if (building.street.district !== d) return;
      const attachment = attachments[index] as BuildingAttachment;
      if (building.technology === 'gpon') {
        if (!olt || olt.used + building.slots > PON_PORTS * ONTS_PER_PON) {
          olt = { index: plan.length, used: 0 };
          plan.push({
            kind: 'olt',
            name: uniqueName(`olt-${transliterate(DISTRICTS[d] as string)}-${++olts}`),
            model: random.chance(0.7) ? MODELS.huaweiOlt : MODELS.zteOlt,
            buildingIndex: index,
            served: [],
          });
        }
        planIndex[index] = olt.index;
        attachment.firstPosition = olt.used;
        olt.used += building.slots;
        (plan[olt.index] as PlannedAccess).served.push(index);
      } else if (building.apartments === 0) {
        if (
          !privateSwitch ||
          privateSwitch.used >= HOUSES_PER_PRIVATE_SWITCH ||
          privateSwitch.streetId !== building.street.id
        ) {
          privateSwitch = { index: plan.length, used: 0, streetId: building.street.id };
          plan.push({
            kind: 'access_switch',
            name: uniqueName(`sw-${buildingSlug(building)}-1`),
            model: MODELS.dlinkSmall,
            buildingIndex: index,
            served: [],
          });
        }
        planIndex[index] = privateSwitch.index;
        attachment.firstPosition = privateSwitch.used;
        privateSwitch.used += 1;
        (plan[privateSwitch.index] as PlannedAccess).served.push(index);
      } else {
        const switches = Math.ceil(building.slots / SWITCH_PORTS);
        const model = random.chance(0.6) ? MODELS.snr : MODELS.dlink;
        planIndex[index] = plan.length;
        for (let s = 1; s <= switches; s++) {
          plan.push({
            kind: 'access_switch',
            name: uniqueName(`sw-${buildingSlug(building)}-${s}`),
            model,
            buildingIndex: index,
            served: [index],
          });
        }
      }
    });
  }

  const nodes: NetworkNode[] = [];
  let nextPortId = 1;
  const addNode = (node: Omit<NetworkNode, 'id' | 'mac' | 'firstPortId'>) => {
    const id = nodes.length + 1;
    const full: NetworkNode = { ...node, id, mac: macWithin(node.model.oui, nodeMacs.at(id)), firstPortId: nextPortId };
    nextPortId += node.model.ports.access + node.model.ports.uplinks;
    nodes.push(full);
    return full;
  };
  const cores = [1, 2].map((n) =>
    addNode({
      kind: 'core',
      name: `core-${n}`,
      model: MODELS.core,
      managementIp: managementIp(10, n - 1),
      uplinkNodeId: null,
      buildingId: null,
      servedBuildingIds: [],
    }),
  );
  const aggregationOf: number[][] = plannedByDistrict.map((plan, d) => {
    const count = Math.ceil(plan.length / ACCESS_NODES_PER_AGGREGATION);
    return Array.from({ length: count }, (_, n) => {
      const first = plan[n * ACCESS_NODES_PER_AGGREGATION];
      const aggregation = addNode({
        kind: 'aggregation',
        name: `agg-${transliterate(DISTRICTS[d] as string)}-${n + 1}`,
        model: MODELS.aggregation,
        managementIp: managementIp(11, nodes.length - cores.length),
        uplinkNodeId: (cores[(nodes.length + 1) % 2] as NetworkNode).id,
        buildingId: first ? (city.buildings[first.buildingIndex] as Building).id : null,
        servedBuildingIds: [],
      });
      return aggregation.id;
    });
  });
  let switches = 0;
  let olts = 0;
  plannedByDistrict.forEach((plan, d) => {
    const firstId = nodes.length + 1;
    plan.forEach((planned, p) => {
      addNode({
        kind: planned.kind,
        name: planned.name,
        model: planned.model,
        managementIp: planned.kind === 'olt' ? managementIp(20, olts++) : managementIp(12, switches++),
        uplinkNodeId: (aggregationOf[d] as number[])[Math.floor(p / ACCESS_NODES_PER_AGGREGATION)] as number,
        buildingId: (city.buildings[planned.buildingIndex] as Building).id,
        servedBuildingIds: planned.served.map((index) => (city.buildings[index] as Building).id),
      });
    });
    city.buildings.forEach((building, index) => {
      if (building.street.district === d)
        (attachments[index] as BuildingAttachment).firstNodeId = firstId + (planIndex[index] as number);
    });
  });
  return { nodes, attachments };
}

/** The node, port and ONT of the k-th subscriber (in signing order) of a building. */
export function attachmentOf(network: Network, building: Building, buildingIndex: number, k: number): Attachment {
  const { firstNodeId, firstPosition } = network.attachments[buildingIndex] as BuildingAttachment;
  if (building.technology === 'gpon') {
    const node = network.nodes[firstNodeId - 1] as NetworkNode;
    const position = firstPosition + k;
    const portNumber = Math.floor(position / ONTS_PER_PON) + 1;
    return { node, portNumber, portId: node.firstPortId + portNumber - 1, ontId: (position % ONTS_PER_PON) + 1 };
  }
  if (building.apartments === 0) {
    const node = network.nodes[firstNodeId - 1] as NetworkNode;
    const portNumber = firstPosition + 1;
    return { node, portNumber, portId: node.firstPortId + portNumber - 1, ontId: null };
  }
  const node = network.nodes[firstNodeId - 1 + Math.floor(k / SWITCH_PORTS)] as NetworkNode;
  const portNumber = (k % SWITCH_PORTS) + 1;
  return { node, portNumber, portId: node.firstPortId + portNumber - 1, ontId: null };
}

export function portName(model: Model, number: number): string {
  const { access, accessPrefix, uplinkPrefix } = model.ports;
  if (number <= access) return `${accessPrefix}${number}`;
  // Copper switches number their uplinks after the access ports (ge-0/0/25..28).
  return uplinkPrefix === accessPrefix ? `${uplinkPrefix}${number}` : `${uplinkPrefix}${number - access}`;
}

/** Streams the network into its tables: nodes, their ports, and which buildings each node serves. */
export async function writeNetwork(
  network: Network,
  buffers: { nodes: TableBuffer; ports: TableBuffer; nodeBuildings: TableBuffer },
  flush: () => Promise<void>,
): Promise<void> {
  let portId = 1;
  for (const node of network.nodes) {
    buffers.nodes.add(
      node.id,
      node.kind,
      node.name,
      node.model.name,
      node.managementIp,
      node.uplinkNodeId,
      node.buildingId,
    );
    const { access, accessMedium, uplinks } = node.model.ports;
    for (let number = 1; number <= access + uplinks; number++) {
      buffers.ports.add(
        portId++,
        node.id,
        portName(node.model, number),
        number,
        number <= access ? accessMedium : 'fiber',
      );
    }
    for (const buildingId of node.servedBuildingIds) buffers.nodeBuildings.add(node.id, buildingId);
    if (buffers.ports.size >= 20_000) await flush();
  }
  await flush();
}
