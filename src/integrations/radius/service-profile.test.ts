import { describe, expect, it } from 'vitest';
import { defaultServiceNames, isServed, serviceAttributes } from './service-profile.js';

const active = { state: 'active', downloadMbps: 100 } as const;
const blocked = { state: 'blocked_debt', downloadMbps: 100 } as const;
const suspended = { state: 'suspended', downloadMbps: 100 } as const;
const closed = { state: 'closed', downloadMbps: 100 } as const;

describe('MikroTik', () => {
  it('gives an active account its tariff speed both ways as Mikrotik-Rate-Limit', () => {
    expect(serviceAttributes('mikrotik', active)).toEqual([{ name: 'Mikrotik-Rate-Limit', value: '100M/100M' }]);
    expect(serviceAttributes('mikrotik', { state: 'active', downloadMbps: 1000 })).toEqual([
      { name: 'Mikrotik-Rate-Limit', value: '1000M/1000M' },
    ]);
  });

  it('puts a blocked or suspended account on the redirected address list, without a speed', () => {
    for (const account of [blocked, suspended]) {
      expect(serviceAttributes('mikrotik', account)).toEqual([
        { name: 'Mikrotik-Address-List', value: 'linedesk-blocked' },
      ]);
    }
  });
});

describe('Cisco ISG', () => {
  it('polices an active account at its tariff speed in bits per second, with 1.5 s of burst in bytes', () => {
    expect(serviceAttributes('cisco', active)).toEqual([
      { name: 'Cisco-Account-Info', value: 'QU;100000000;18750000;D;100000000;18750000' },
    ]);
  });

  it('activates the redirect service for a blocked or suspended account', () => {
    for (const account of [blocked, suspended]) {
      expect(serviceAttributes('cisco', account)).toEqual([
        { name: 'Cisco-Account-Info', value: 'ALINEDESK-REDIRECT' },
      ]);
    }
  });
});

describe('Juniper', () => {
  it('activates the internet service with the speed down and up as its parameters, tagged', () => {
    expect(serviceAttributes('juniper', { state: 'active', downloadMbps: 300 })).toEqual([
      { name: 'ERX-Service-Activate', tag: 1, value: 'linedesk-internet(300m,300m)' },
    ]);
  });

  it('activates the redirect service for a blocked or suspended account', () => {
    for (const account of [blocked, suspended]) {
      expect(serviceAttributes('juniper', account)).toEqual([
        { name: 'ERX-Service-Activate', tag: 1, value: 'linedesk-redirect' },
      ]);
    }
  });
});

describe('another vendor', () => {
  it('leaves an active account to the NAS default profile and gives a blocked one the redirect pool', () => {
    expect(serviceAttributes('other', active)).toEqual([]);
    expect(serviceAttributes('other', blocked)).toEqual([{ name: 'Framed-Pool', value: 'linedesk-blocked' }]);
  });
});

describe('every vendor', () => {
  it('gives a closed account nothing: it is not served at all', () => {
    for (const vendor of ['mikrotik', 'cisco', 'juniper', 'other'] as const) {
      expect(serviceAttributes(vendor, closed)).toEqual([]);
    }
    expect(isServed('closed')).toBe(false);
    expect(isServed('blocked_debt')).toBe(true);
    expect(isServed('suspended')).toBe(true);
    expect(isServed('active')).toBe(true);
  });

  it('takes the walled garden names the ISP gave its NASes', () => {
    const names = { ...defaultServiceNames, mikrotikAddressList: 'debtors', redirectPool: 'pay-pool' };
    expect(serviceAttributes('mikrotik', blocked, names)).toEqual([
      { name: 'Mikrotik-Address-List', value: 'debtors' },
    ]);
    expect(serviceAttributes('other', suspended, names)).toEqual([{ name: 'Framed-Pool', value: 'pay-pool' }]);
  });
});
