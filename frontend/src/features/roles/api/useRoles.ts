import { useLoad } from '../../../hooks/useLoad';
import { api } from '../../../lib/wails';

/** Every role (built-in and custom) with its holders count; [] until loaded. */
export function useRoles() {
  const roles = useLoad(api.listRoles, []);
  return { ...roles, data: roles.data ?? [] };
}

/** Every permission a role can grant, in display order; [] until loaded. */
export function usePermissions() {
  const permissions = useLoad(api.listPermissions, []);
  return { ...permissions, data: permissions.data ?? [] };
}
