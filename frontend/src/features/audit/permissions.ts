import type { Operator } from '../../lib/wails';

/** May open the Audit screen. */
export function canViewAudit(op: Operator): boolean {
  return op.permissions.includes('audit.view');
}

/** May open the Reports screen. */
export function canViewReports(op: Operator): boolean {
  return op.permissions.includes('reports.view');
}

/** Sees the banner about API keys that expire soon. */
export function canSeeKeyExpiry(op: Operator): boolean {
  return ['users.manage', 'apiusers.manage', 'reports.view'].some((p) => op.permissions.includes(p));
}
