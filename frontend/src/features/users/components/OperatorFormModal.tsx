import { Button, Center, Group, Loader, Modal, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { focusFirstError } from '../../../lib/focusFirstError';
import { api, type Operator, type RoleView, type Scope, type UserDetail, type UserRow } from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { splitErrors } from '../formErrors';
import { AccessFields } from './AccessFields';
import { FormFooter } from '../../../components/FormFooter';
import { useUserDetail } from '../api/useUserDetail';

interface Values {
  username: string;
  fullName: string;
  email: string;
  password: string;
  confirmPassword: string;
  role: string;
  scope: Scope;
  department: string;
  location: string;
}

const FIELDS: (keyof Values)[] = [
  'username',
  'fullName',
  'email',
  'password',
  'confirmPassword',
  'role',
  'scope',
  'department',
  'location',
];

export type OperatorFormMode = { kind: 'add' } | { kind: 'edit'; username: string };

interface Props {
  mode: OperatorFormMode;
  operator: Operator;
  roles: RoleView[];
  onClose: () => void;
  onSaved: (row: UserRow, created: boolean) => void;
}

/** Add User / Edit User (an operator, who logs into the app). */
export function OperatorFormModal(props: Props) {
  const { mode, onClose } = props;
  const editing = mode.kind === 'edit' ? mode.username : null;
  const { detail, loadError } = useUserDetail(editing);

  return (
    <Modal opened onClose={onClose} title={editing === null ? 'Add User' : 'Edit User'} size="lg" closeOnClickOutside={false}>
      {editing === null || detail ? (
        <OperatorForm {...props} detail={detail} />
      ) : loadError ? (
        <Stack>
          <ErrorAlert title="Could not load the user" message={loadError.message} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
          </Group>
        </Stack>
      ) : (
        <Center py="xl">
          <Loader aria-label="Loading user" />
        </Center>
      )}
    </Modal>
  );
}

function OperatorForm({ operator, roles, detail, onClose, onSaved }: Props & { detail: UserDetail | null }) {
  const { handleError } = useSession();
  const editing = detail !== null;
  const self = editing && detail.username.toLowerCase() === operator.username.toLowerCase();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  const form = useForm<Values>({
    initialValues: {
      username: detail?.username ?? '',
      fullName: detail?.fullName ?? '',
      email: detail?.email ?? '',
      password: '',
      confirmPassword: '',
      role: detail?.role ?? roles.find((r) => r.id === 'password_user')?.id ?? roles[0]?.id ?? '',
      scope: detail?.scope === 'all' ? 'all' : 'owned_shared',
      department: detail?.department ?? '',
      location: detail?.location ?? '',
    },
    validate: {
      username: (v) => (!editing && v.trim() === '' ? 'Username: required' : null),
      fullName: (v) => (v.trim() === '' ? 'Full Name: required' : null),
      password: (v) => (!editing && v === '' ? 'Password: required' : null),
      confirmPassword: (v, values) => (v !== values.password ? 'Confirm Password: the passwords do not match' : null),
      role: (v) => (v === '' ? 'Access Level: required' : null),
    },
  });
  const values = form.getValues();
  // A failed Save (here or in the backend) lands on the first invalid field.
  const focusFirst = (errors: Record<string, unknown>) => focusFirstError(form, FIELDS, errors);

  const submit = async (v: Values) => {
    setFormError(null);
    setSaving(true);
    const req = { ...v, username: v.username.trim(), fullName: v.fullName.trim(), email: v.email.trim() };
    try {
      const row = editing ? await api.updateOperator(detail.username, req) : await api.createOperator(req);
      onSaved(row, !editing);
    } catch (e) {
      const { fieldErrors, formError: rest } = splitErrors(handleError(e), FIELDS);
      form.setErrors(fieldErrors);
      setFormError(rest);
      setSaving(false);
      focusFirst(fieldErrors);
    }
  };

  return (
    <form onSubmit={form.onSubmit(submit, focusFirst)} noValidate>
      <Stack gap="md">
        <TextInput
          label="Username"
          required={!editing}
          readOnly={editing}
          description={editing ? 'Username cannot be changed' : undefined}
          autoComplete="off"
          data-autofocus={!editing || undefined}
          {...form.getInputProps('username')}
        />
        <TextInput label="Full Name" required autoComplete="off" {...form.getInputProps('fullName')} />
        <TextInput label="Email" type="email" autoComplete="off" {...form.getInputProps('email')} />
        <PasswordInput
          label="Password"
          required={!editing}
          description={editing ? 'Leave empty to keep the current password.' : 'At least 12 characters.'}
          autoComplete="new-password"
          {...form.getInputProps('password')}
        />
        <PasswordInput
          label="Confirm Password"
          required={!editing}
          autoComplete="new-password"
          {...form.getInputProps('confirmPassword')}
        />
        <AccessFields
          operator={operator}
          roles={roles}
          role={values.role}
          scope={values.scope}
          onRoleChange={(r) => form.setFieldValue('role', r)}
          onScopeChange={(s) => form.setFieldValue('scope', s)}
          roleError={form.errors.role}
          scopeError={form.errors.scope}
          locked={self}
        />
        <TextInput label="Department" {...form.getInputProps('department')} />
        <TextInput label="Location" {...form.getInputProps('location')} />
        <FormFooter errorTitle="Could not save the user" error={formError} saving={saving} onCancel={onClose} />
      </Stack>
    </form>
  );
}
