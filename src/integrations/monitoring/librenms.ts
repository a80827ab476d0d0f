import type { IncomingAlert } from '../../modules/network/alerts/service.js';
import { MalformedAlert, parseInstant, parseLocalTime } from './malformed.js';

/**
 * The fields the shipped LibreNMS API-transport body (shipped/librenms-api-transport-body.txt)
 * writes, one a line. LibreNMS's API transport fills `{{ $name }}` into the body as it is, quotes
 * unescaped (App\View\SimpleTemplate), and sends it as text/plain unless told otherwise: a rule
 * name or title with a `"` in it makes the JSON invalid. So the body is read as JSON first, then
 * line by line as `"key": "value",` (or `key: value`, `key=value`), each line one of these keys;
 * a line that starts with none of them continues the value before it.
 */
const FIELDS = ['alert_id', 'uid', 'state', 'severity', 'name', 'title', 'timestamp', 'hostname', 'sysName', 'ip'];

const LINE = /^\s*"?([A-Za-z_]+)"?\s*[:=]\s*(.*)$/;

// C0 controls except tab, line feed and carriage return, DEL, and C1 controls, as everywhere else.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

export function readLibrenmsBody(text: string): Record<string, string> {
  if (CONTROL.test(text)) throw new MalformedAlert('the body holds control characters');
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const fields: Record<string, string> = {};
      for (const [key, value] of Object.entries(parsed)) {
        if (typeof value === 'string' || typeof value === 'number') fields[key] = String(value);
      }
      return fields;
    }
  } catch {
    // Not JSON: read it line by line below.
  }
  // The braces around the whole, then each line: a key's line, or more of the value before it.
  const trimmed = text.trim();
  const inner = trimmed.startsWith('{') && trimmed.endsWith('}') ? trimmed.slice(1, -1) : trimmed;
  const raw: Record<string, string> = {};
  let last: string | undefined;
  for (const line of inner.split(/\r?\n/)) {
    const match = LINE.exec(line);
    const key = match?.[1];
    if (match && key !== undefined && FIELDS.includes(key)) {
      raw[key] = match[2] ?? '';
      last = key;
    } else if (last !== undefined) {
      // A value broken over lines: its closing quote and comma are on the last of them.
      raw[last] = `${raw[last]}\n${line}`;
    }
  }
  return Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, unquoted(value)]));
}

/** A value without its trailing comma and the one pair of double quotes around it. */
function unquoted(raw: string): string {
  let value = raw.trim().replace(/,$/, '').trim();
  if (value.startsWith('"')) value = value.slice(1);
  if (value.endsWith('"')) value = value.slice(0, -1);
  return value;
}

const UNRENDERED = /^\{\{.*\}\}$/;

const given = (fields: Record<string, string>, name: string): string | undefined => {
  const value = fields[name]?.trim();
  return value === undefined || value === '' || UNRENDERED.test(value) ? undefined : value;
};

/**
 * The alert a LibreNMS notification tells of, correlated on its alert id (`$alert_id`: one per
 * rule and device, the same through alert, acknowledgement, worse, better and recovery;
 * LibreNMS\Enum\AlertState): 0 recovered, 1 alert, 2 acknowledged, 3 worse, 4 better, 5 changed.
 */
export function alertFromLibrenms(fields: Record<string, string>, zone: string): IncomingAlert {
  const alertId = given(fields, 'alert_id');
  if (alertId === undefined || !/^\d{1,20}$/.test(alertId)) {
    throw new MalformedAlert(
      `alert_id must be LibreNMS's alert id ({{ $alert_id }}), got "${(fields.alert_id ?? '').slice(0, 64)}"`,
    );
  }
  const state = given(fields, 'state');
  if (state === undefined || !/^[0-5]$/.test(state)) {
    throw new MalformedAlert(`state must be 0 to 5 ({{ $state }}), got "${(fields.state ?? '').slice(0, 64)}"`);
  }
  const timestamp = given(fields, 'timestamp');
  if (timestamp === undefined) throw new MalformedAlert('timestamp is missing ({{ $timestamp }})');
  const at = timeOf(timestamp, zone);
  return {
    source: 'librenms',
    externalId: alertId,
    identifiers: ['hostname', 'sysName', 'ip']
      .map((field) => given(fields, field))
      .filter((identifier): identifier is string => identifier !== undefined),
    name: given(fields, 'name') ?? given(fields, 'title') ?? 'LibreNMS alert',
    severity: given(fields, 'severity') ?? null,
    status: state === '0' ? 'resolved' : 'firing',
    ...(state === '2' ? { acknowledged: true } : {}),
    summary: given(fields, 'title') ?? null,
    // The timestamp is that of the notification's own log entry: the start for state 1, the
    // recovery for 0, the change for the others (which keep the start already stored).
    startedAt: at,
    endedAt: state === '0' ? at : null,
  };
}

/** "2026-12-06 10:15:03" as LibreNMS writes it (its server's local time), or a time with a zone. */
function timeOf(timestamp: string, zone: string): Date {
  const local = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/.exec(timestamp);
  if (local) return parseLocalTime(local[1] as string, local[2] as string, zone, 'timestamp');
  return parseInstant(timestamp, 'timestamp');
}
