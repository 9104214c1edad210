import type { Operator } from '../../lib/wails';

function has(op: Operator, permission: string): boolean {
  return op.permissions.includes(permission);
}

/** May see the Resources screen. */
export function canSeeResources(op: Operator): boolean {
  return has(op, 'passwords.view') || has(op, 'resources.create');
}

/** May add resources ("Add Resource"). */
export function canCreateResources(op: Operator): boolean {
  return has(op, 'resources.create');
}

/**
 * May edit and delete resources and their accounts. The backend decides per
 * resource (owner or All Passwords scope) and says so when it refuses.
 */
export function canManageResources(op: Operator): boolean {
  return has(op, 'resources.manage');
}

/** May share resources and accounts. */
export function canSharePasswords(op: Operator): boolean {
  return has(op, 'passwords.share');
}

/** May show and copy passwords. */
export function canViewPasswords(op: Operator): boolean {
  return has(op, 'passwords.view');
}

/**
 * May give a resource to someone else (the form's Owner field): a Super
 * Administrator, i.e. the All Passwords scope on a role that may have it,
 * which is the backend's rule too.
 */
export function canGiveResources(op: Operator): boolean {
  return op.superAdmin;
}
