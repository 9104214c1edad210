import { Checkbox, Modal, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { api, type Operator, type PermissionView, type RoleView } from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { splitErrors } from '../../users/formErrors';
import { FormFooter } from '../../../components/FormFooter';

interface Values {
  name: string;
  permissions: string[];
}

/** Add Role / Edit Role: a name and the permissions it grants. */
export function RoleFormModal({
  role,
  operator,
  permissions,
  onClose,
  onSaved,
}: {
  /** null to add a role. */
  role: RoleView | null;
  operator: Operator;
  permissions: PermissionView[];
  onClose: () => void;
  onSaved: (role: RoleView, created: boolean) => void;
}) {
  const { handleError } = useSession();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: { name: role?.name ?? '', permissions: role?.permissions ?? [] },
    validate: {
      name: (v) => (v.trim() === '' ? 'Role Name: required' : null),
      permissions: (v) => (v.length === 0 ? 'Permissions: choose at least one' : null),
    },
  });

  const submit = async (v: Values) => {
    setSaving(true);
    setFormError(null);
    // Keep the backend's display order.
    const req = { name: v.name.trim(), permissions: permissions.map((p) => p.id).filter((id) => v.permissions.includes(id)) };
    try {
      const saved = role ? await api.updateRole(role.id, req) : await api.createRole(req);
      onSaved(saved, role === null);
    } catch (e) {
      const { fieldErrors, formError: rest } = splitErrors(handleError(e), ['name', 'permissions']);
      form.setErrors(fieldErrors);
      setFormError(rest);
      setSaving(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={role ? 'Edit Role' : 'Add Role'} size="lg" closeOnClickOutside={false}>
      <form onSubmit={form.onSubmit(submit)} noValidate>
        <Stack gap="md">
          <TextInput label="Role Name" required data-autofocus {...form.getInputProps('name')} />
          <Checkbox.Group
            label="Permissions"
            description="Permissions you do not hold yourself cannot be granted."
            {...form.getInputProps('permissions')}
          >
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs" mt="xs">
              {permissions.map((p) => (
                <Checkbox
                  key={p.id}
                  value={p.id}
                  label={p.label}
                  disabled={!operator.permissions.includes(p.id) && !form.getValues().permissions.includes(p.id)}
                />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <FormFooter errorTitle="Could not save the role" error={formError} saving={saving} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
