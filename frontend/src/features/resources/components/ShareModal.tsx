import { Badge, Group, Modal, Radio, Select, Stack, Text, type ComboboxItem } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useLoad } from '../../../hooks/useLoad';
import { api, vaultApi, type AccountView, type ResourceView, type SharePermission, type UserRow } from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { splitErrors } from '../../users/formErrors';
import { FormFooter } from '../../../components/FormFooter';

const SEARCH_DEBOUNCE_MS = 200;
const ALL_ACCOUNTS = 'all';
const NO_USERS: UserRow[] = [];

interface Values {
  grantee: string;
  account: string;
  permission: SharePermission;
}

interface Props {
  resource: ResourceView;
  accounts: AccountView[];
  onClose: () => void;
  onShared: (grantee: string) => void;
}

function userLabel(u: UserRow): string {
  return u.fullName ? `${u.username} (${u.fullName})` : u.username;
}

/** Share a resource, or one of its accounts, with a user or API user. */
export function ShareModal({ resource, accounts, onClose, onShared }: Props) {
  const { handleError } = useSession();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const [selected, setSelected] = useState<UserRow | null>(null);
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  const form = useForm<Values>({
    initialValues: { grantee: '', account: ALL_ACCOUNTS, permission: 'view' },
    validate: { grantee: (v) => (v === '' ? 'Share with: choose a user or API user' : null) },
  });

  // The text shown for a chosen user is its label: searching for that would
  // find nothing by label, so ask for the username instead.
  const query = selected && debounced === userLabel(selected) ? selected.username : debounced;
  const searched = useLoad(
    () =>
      api.listUsers({ search: query, kind: '', role: '', keyStatus: '', sortBy: 'username', desc: false, offset: 0, limit: 50 }),
    [query],
  );
  const found = searched.data?.rows ?? NO_USERS;

  // The chosen user stays an option while the search shows others.
  const users = useMemo(
    () => (selected && !found.some((u) => u.username === selected.username) ? [selected, ...found] : found),
    [found, selected],
  );
  const userOptions = users.map((u) => ({ value: u.username, label: userLabel(u) }));
  const kindOf = new Map(users.map((u) => [u.username, u.kind]));

  const accountOptions = [
    { value: ALL_ACCOUNTS, label: 'All accounts' },
    ...accounts.map((a) => ({ value: a.id, label: a.name })),
  ];

  const submit = async (v: Values) => {
    setFormError(null);
    setSaving(true);
    try {
      await vaultApi.shareResource({
        resourceId: resource.id,
        accountId: v.account === ALL_ACCOUNTS ? '' : v.account,
        grantee: v.grantee,
        permission: v.permission,
      });
      onShared(v.grantee);
    } catch (e) {
      const { fieldErrors, formError: rest } = splitErrors(handleError(e), ['grantee', 'permission']);
      form.setErrors(fieldErrors);
      setFormError(rest);
      setSaving(false);
    }
  };

  const renderOption = ({ option }: { option: ComboboxItem }) => (
    <Group gap="xs" wrap="nowrap">
      <Text size="sm">{option.label}</Text>
      {kindOf.get(option.value) === 'api' && (
        <Badge size="xs" variant="light" color="grape">
          API user
        </Badge>
      )}
    </Group>
  );

  return (
    <Modal opened onClose={onClose} title={`Share ${resource.name}`} size="md" closeOnClickOutside={false}>
      <form onSubmit={form.onSubmit(submit)} noValidate>
        <Stack gap="md">
          <Select
            label="Share with"
            required
            searchable
            placeholder="Search users and API users"
            data={userOptions}
            searchValue={search}
            onSearchChange={setSearch}
            filter={({ options }) => options}
            renderOption={renderOption}
            nothingFoundMessage="No user matches"
            data-autofocus
            {...form.getInputProps('grantee')}
            onChange={(value) => {
              form.setFieldValue('grantee', value ?? '');
              setSelected(users.find((u) => u.username === value) ?? null);
            }}
          />
          <ErrorAlert title="Could not search users" message={searched.error?.message} />
          <Select
            label="Account"
            data={accountOptions}
            allowDeselect={false}
            {...form.getInputProps('account')}
            onChange={(value) => form.setFieldValue('account', value ?? ALL_ACCOUNTS)}
          />
          <Radio.Group label="Permission" {...form.getInputProps('permission')}>
            <Group mt="xs" gap="xl">
              <Radio value="view" label="View" description="See and copy the password" />
              <Radio value="modify" label="Modify" description="Also change the password" />
            </Group>
          </Radio.Group>
          <FormFooter errorTitle="Could not share" error={formError} saving={saving} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
