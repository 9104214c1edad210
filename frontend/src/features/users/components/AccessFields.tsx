import { Radio, Select, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Operator, RoleView, Scope } from '../../../lib/wails';
import { SCOPE_LABELS } from '../format';
import { allPasswordsHint, missingPermissions } from '../permissions';

export interface AccessFieldsProps {
  operator: Operator;
  roles: RoleView[];
  role: string;
  scope: Scope;
  onRoleChange: (role: string) => void;
  onScopeChange: (scope: Scope) => void;
  roleError?: ReactNode;
  scopeError?: ReactNode;
  /** Editing oneself: the backend refuses a change of one's own role or scope. */
  locked?: boolean;
}

/** Access Level (a role) and Access Scope, with the grant rules of PRODUCT.md §1. */
export function AccessFields({
  operator,
  roles,
  role,
  scope,
  onRoleChange,
  onScopeChange,
  roleError,
  scopeError,
  locked = false,
}: AccessFieldsProps) {
  const selected = roles.find((r) => r.id === role);
  const anyRefused = roles.some((r) => missingPermissions(operator, r).length > 0);
  const hint = allPasswordsHint(operator, selected);

  const changeRole = (next: string | null) => {
    if (!next) return;
    onRoleChange(next);
    const nextRole = roles.find((r) => r.id === next);
    if (scope === 'all' && allPasswordsHint(operator, nextRole) !== null) onScopeChange('owned_shared');
  };

  return (
    <>
      <Select
        label="Access Level"
        required
        allowDeselect={false}
        data={roles.map((r) => ({
          value: r.id,
          label: r.name,
          disabled: missingPermissions(operator, r).length > 0 && r.id !== role,
        }))}
        value={role || null}
        onChange={changeRole}
        disabled={locked}
        description={
          locked
            ? 'You cannot change your own access level.'
            : anyRefused
              ? 'Roles with permissions you do not hold cannot be granted.'
              : undefined
        }
        error={roleError}
        // The form finds the field to focus on a failed Save by its path.
        data-path="role"
        comboboxProps={{ withinPortal: true }}
      />
      <Radio.Group
        label="Access Scope"
        value={scope}
        onChange={(v) => onScopeChange(v as Scope)}
        error={scopeError}
        description={selected?.mayHaveAllPasswords ? 'All Passwords makes this user a Super Administrator.' : undefined}
      >
        <Stack gap="xs" mt="xs">
          <Radio
            value="owned_shared"
            label={SCOPE_LABELS.owned_shared}
            disabled={locked}
            data-path={scope === 'all' ? undefined : 'scope'}
          />
          <Radio
            value="all"
            label={SCOPE_LABELS.all}
            disabled={locked || hint !== null}
            data-path={scope === 'all' ? 'scope' : undefined}
          />
          {hint && !locked && (
            <Text size="xs" c="dimmed">
              {hint}
            </Text>
          )}
        </Stack>
      </Radio.Group>
    </>
  );
}
