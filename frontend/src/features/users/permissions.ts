import type { Operator, RoleView } from '../../lib/wails';

/** May add, edit, disable or delete API users. */
export function canManageAPIUsers(op: Operator): boolean {
  return op.permissions.includes('apiusers.manage') || op.permissions.includes('users.manage');
}

/** May add, edit, disable or delete operators. */
export function canManageOperators(op: Operator): boolean {
  return op.permissions.includes('users.manage');
}

/** May see the Users screen. */
export function canSeeUsers(op: Operator): boolean {
  return canManageAPIUsers(op) || canManageOperators(op);
}

export function canManageRoles(op: Operator): boolean {
  return op.permissions.includes('roles.manage');
}

/** Permissions of role that op does not hold (nobody grants more than they hold). */
export function missingPermissions(op: Operator, role: RoleView): string[] {
  return role.permissions.filter((p) => !op.permissions.includes(p));
}

/** May op give role and the All Passwords scope to someone? */
export function allPasswordsHint(op: Operator, role: RoleView | undefined): string | null {
  if (!role) return 'Choose an Access Level first.';
  if (!role.mayHaveAllPasswords) return `All Passwords is only for the administrator roles, not ${role.name}.`;
  if (!op.superAdmin) return 'Only a Super Administrator can grant All Passwords.';
  return null;
}
