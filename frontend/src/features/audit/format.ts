import type { AuditFilter } from '../../lib/wails';

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** An RFC 3339 time as "2026-03-01 14:05:09" in local time; '' for none. */
export function formatDateTimeSeconds(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * The value of an <input type="datetime-local"> ("2026-03-01T14:05" or with
 * seconds), read as local time, in RFC 3339 (UTC); '' when empty or invalid.
 */
export function localInputToRfc3339(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value.trim());
  if (!m) return '';
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  if (Number.isNaN(d.getTime())) return '';
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const ACTOR_KIND_LABELS: Record<string, string> = {
  operator: 'Operator',
  api: 'API user',
  system: 'System',
};

export function actorKindLabel(kind: string): string {
  return ACTOR_KIND_LABELS[kind] ?? kind;
}

export function resultLabel(result: string): string {
  if (result === 'success') return 'Success';
  if (result === 'failure') return 'Failure';
  return result;
}

export const EMPTY_FILTER: AuditFilter = {
  from: '',
  to: '',
  actor: '',
  operation: '',
  target: '',
  result: '',
  source: '',
};

/** "1 record", "1,234 records". */
export function countRecords(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'record' : 'records'}`;
}

/** The UTC offset of d in local time, as "UTC+01:00". */
function utcOffset(d: Date): string {
  const min = -d.getTimezoneOffset();
  const sign = min < 0 ? '-' : '+';
  const abs = Math.abs(min);
  return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * An RFC 3339 time in local time with its zone: "2026-03-01 13:00:00
 * UTC+01:00 (Europe/Berlin)"; '' for none.
 */
export function formatDateTimeZone(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return `${formatDateTimeSeconds(iso)} ${utcOffset(d)}${zone ? ` (${zone})` : ''}`;
}
