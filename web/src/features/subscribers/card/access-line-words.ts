import type { AccessLineChange, Duplex, IfStatus, OntDownCause } from '@common/api/access-line.ts';
import type { TFunction } from 'i18next';
import { i18next } from '../../../i18n/index.ts';
import { changeKind } from './access-line-view.ts';

/** The access-line panel's figures in the operator's words (access-line-view.ts computes them). */

export const ontDownCauses: readonly OntDownCause[] = ['dying-gasp', 'los', 'lofi', 'loami', 'deactivated', 'other'];

const isDownCause = (value: unknown): value is OntDownCause =>
  typeof value === 'string' && (ontDownCauses as readonly string[]).includes(value);

/** Why the ONT went down, in words the agent can say to the subscriber: "пропало питание ONT (dying gasp)". */
export const downCauseText = (t: TFunction, cause: OntDownCause) =>
  t(`subscribers.card.accessLine.ont.causes.${cause}`);

/** What a down cause usually means on the subscriber's side, where that helps; null otherwise. */
export function downCauseHint(t: TFunction, cause: OntDownCause): string | null {
  const key = `subscribers.card.accessLine.ont.causeHints.${cause}`;
  return i18next.exists(key) ? t(key as 'subscribers.card.accessLine.ont.causeHints.los') : null;
}

/** ifOperStatus by the agent's name for it, for the rarer states the panel has no sentence for. */
export const ifStatusText = (t: TFunction, status: IfStatus | null) => {
  if (status === 'up') return t('subscribers.card.accessLine.port.state.up');
  if (status === 'down') return t('subscribers.card.accessLine.port.state.down');
  if (status === null || status === 'unknown') return t('subscribers.card.accessLine.port.state.unknown');
  return t('subscribers.card.accessLine.port.state.other', { status });
};

/**
 * A level in dBm as the OLT's own screens show it: one decimal, with a real minus sign ("−19,5");
 * a window's edges with as few as they need ("−27").
 */
export const formatDbm = (dbm: number, locale: string, minimumFractionDigits = 1) =>
  new Intl.NumberFormat(locale, { minimumFractionDigits, maximumFractionDigits: 1 }).format(dbm).replace('-', '\u2212');

/** Errors an hour: whole numbers, but "0,4" stays readable on a port that only starts to go bad. */
export const formatRate = (perHour: number, locale: string) =>
  new Intl.NumberFormat(locale, { maximumFractionDigits: perHour < 10 ? 1 : 0 }).format(perHour);

const knownChanges = [
  'port-up',
  'port-down',
  'port-admin-down',
  'port-admin-up',
  'speed-changed',
  'duplex-changed',
  'cpe-mac-seen',
  'cpe-mac-gone',
  'ont-online',
  'ont-offline',
  'ont-rx-out-of-range',
  'ont-rx-within',
  'node-unreachable',
  'node-reachable',
  'alert-firing',
  'alert-resolved',
] as const;
type KnownChange = (typeof knownChanges)[number];

const isDuplex = (value: unknown): value is Duplex => value === 'full' || value === 'half' || value === 'unknown';
const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
const figure = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * One change on the line in words, with the detail that matters: which port, why the ONT went
 * down, the level, the alert's name. The details are what the store kept with the change; an
 * unknown change is shown by its name rather than dropped.
 */
export function lineChangeText(t: TFunction, change: AccessLineChange, locale: string): string {
  if (!(knownChanges as readonly string[]).includes(change.change)) return change.change;
  const kind = change.change as KnownChange;
  const { details } = change;
  const words = [t(`subscribers.card.accessLine.changes.${kind}`)];
  const port = text(details.port) ?? (figure(details.ifIndex) === null ? null : `ifIndex ${details.ifIndex}`);
  if (changeKind(change) === 'port' && port) words.push(port);
  if (kind === 'speed-changed') {
    const speed = figure(details.speedMbps);
    const was = figure(details.was);
    if (speed !== null) {
      const value = t('subscribers.card.accessLine.port.speedValue', { speed });
      words.push(was === null ? value : `${was} → ${value}`);
    }
  }
  if (kind === 'duplex-changed' && isDuplex(details.duplex)) {
    words.push(t(`subscribers.card.accessLine.port.duplex.${details.duplex}`));
  }
  if ((kind === 'cpe-mac-seen' || kind === 'cpe-mac-gone') && text(details.mac)) words.push(text(details.mac) ?? '');
  if (kind === 'ont-offline') {
    const cause = details.cause ?? details.lastDownCause;
    if (isDownCause(cause)) words.push(downCauseText(t, cause));
  }
  if (kind === 'ont-rx-out-of-range' || kind === 'ont-rx-within') {
    const rx = figure(details.rxPowerDbm);
    if (rx !== null) words.push(t('subscribers.card.accessLine.ont.dbm', { value: formatDbm(rx, locale) }));
  }
  if (kind === 'node-unreachable' && text(details.error)) words.push(text(details.error) ?? '');
  if (kind === 'alert-firing' || kind === 'alert-resolved') {
    const name = text(details.name);
    if (name) words.push(name);
    const severity = text(details.severity);
    if (severity) words.push(t('subscribers.card.accessLine.nodes.alert.severity', { severity }));
    const source = text(details.source);
    if (source === 'alertmanager' || source === 'zabbix' || source === 'librenms') {
      words.push(t(`subscribers.card.accessLine.nodes.alert.sources.${source}`));
    }
  }
  return words.join(' · ');
}
