import type { KeyStatus, UserRow } from '../../lib/wails';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Access scope as PMP words it. */
export const SCOPE_LABELS = {
  owned_shared: 'Passwords Owned and Shared',
  all: 'All Passwords',
} as const;

export const KEY_STATUS_LABELS: Record<KeyStatus, string> = {
  active: 'Active',
  expiring: 'Expiring',
  expired: 'Expired',
  none: 'None',
  disabled: 'Disabled',
  revoked: 'Revoked',
};

/** The key status filter's choices (Users list, kill switch). */
export const KEY_STATUS_OPTIONS = [
  { value: 'all', label: 'All' },
  { value: 'active', label: 'Active' },
  { value: 'expiring', label: 'Expiring within 30 days' },
  { value: 'expired', label: 'Expired' },
  { value: 'none', label: 'None' },
  { value: 'disabled', label: 'Disabled' },
  { value: 'revoked', label: 'Revoked' },
];

export const KEY_STATUS_COLORS: Record<KeyStatus, string> = {
  active: 'green',
  expiring: 'yellow',
  expired: 'red',
  none: 'gray',
  disabled: 'gray',
  revoked: 'red',
};

/** "expires in 12 days", "expires today", "expired", "never expires"; '' without a key. */
export function keyExpiryText(row: Pick<UserRow, 'keyHint' | 'keyExpiresAt' | 'keyStatus'>, now: Date = new Date()): string {
  if (!row.keyHint) return '';
  if (row.keyStatus === 'expired') return 'expired';
  if (!row.keyExpiresAt) return 'never expires';
  const expires = new Date(row.keyExpiresAt);
  if (Number.isNaN(expires.getTime())) return '';
  const ms = expires.getTime() - now.getTime();
  if (ms <= 0) return 'expired';
  const days = Math.floor(ms / DAY_MS);
  if (days === 0) return 'expires today';
  if (days === 1) return 'expires in 1 day';
  return `expires in ${days} days`;
}

/** The hint of a key as the list shows it: "hbk_AbCd…". */
export function keyHintText(hint: string): string {
  return hint ? `${hint}…` : '';
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** An RFC 3339 time as "2026-03-01 14:05" in local time; '' for none. */
export function formatDateTime(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A Date as the value of an <input type="date"> (local calendar day). */
export function toDateInputValue(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** An RFC 3339 time as the local calendar day "YYYY-MM-DD"; '' for none. */
export function isoToDateInput(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : toDateInputValue(d);
}

/**
 * "YYYY-MM-DD" from a date input as the end of that day in local time, in
 * ISO form (what the backend parses as RFC 3339); '' when not a date.
 */
export function endOfDayIso(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return '';
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59, 0);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** "1 user", "12 users", "100,000 users". */
export function countUsers(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'user' : 'users'}`;
}
