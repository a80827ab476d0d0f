import type { BusinessHours, ContactSettings, LineSettings, OpenInterval } from '../../common/api/settings.js';

const everyDay = (intervals: OpenInterval[]): BusinessHours => ({
  1: intervals,
  2: intervals,
  3: intervals,
  4: intervals,
  5: intervals,
  6: intervals,
  7: intervals,
});

const lineDefaults = {
  targetSeconds: 20,
  targetPercent: 80,
  callbackOfferAfterSeconds: 300,
  offerTimeoutSeconds: 15,
  afterContactWorkSeconds: 30,
  chatCapacity: 3,
  holidayHours: [],
} as const;

/**
 * The demo ISP's hotline, what a fresh install shows: lines 1 and 2 answer 08:00-22:00 every day
 * and are closed on the production calendar's holidays, the network engineers round the clock.
 * The free 8-800 number's menu picks the line (1 billing and tariffs, 2 no internet, 3 network).
 */
// Names are data, in the demo ISP's language: the screens show them as written, in either interface language.
export function defaultLines(): LineSettings[] {
  return [
    {
      id: 'l1',
      name: '1-я линия',
      role: 'l1',
      dialled: ['8-800-100-20-30', '1'],
      ...lineDefaults,
      holidayHours: [],
      hours: everyDay([{ from: '08:00', to: '22:00' }]),
      alwaysOpen: false,
    },
    {
      id: 'l2',
      name: '2-я линия',
      role: 'l2',
      dialled: ['2'],
      ...lineDefaults,
      holidayHours: [],
      hours: everyDay([{ from: '08:00', to: '22:00' }]),
      alwaysOpen: false,
    },
    {
      id: 'l3',
      name: '3-я линия (NOC)',
      role: 'l3',
      dialled: ['3'],
      ...lineDefaults,
      holidayHours: [],
      hours: everyDay([{ from: '00:00', to: '24:00' }]),
      alwaysOpen: true,
    },
  ];
}

export function defaultContactSettings(): ContactSettings {
  return {
    routingMode: 'acd',
    defaultLine: 'l1',
    repeatWindowHours: 48,
    shortAbandonSeconds: 5,
    disconnectGraceSeconds: 60,
    pbxCommandUrl: null,
  };
}
