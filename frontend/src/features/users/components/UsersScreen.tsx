import { ActionIcon, Badge, Button, CloseButton, Group, Menu, Notification, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { UsersListFilter } from '../../session/navigation';
import { Fragment, useCallback, useEffect, useMemo, useState } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { api, type KeyStatus, type Operator, type UserKind, type UserRow, type UserSortBy } from '../../../lib/wails';
import { useRoles } from '../../roles/api/useRoles';
import { useSession } from '../../session/useSession';
import { useUserList, type UserFilters } from '../api/useUserList';
import { countUsers, KEY_STATUS_OPTIONS } from '../format';
import { canManageAPIUsers, canManageOperators } from '../permissions';
import { APIUserFormModal, type APIUserFormMode } from './APIUserFormModal';
import { BulkAPIUsersModal } from './BulkAPIUsersModal';
import { DeleteUserModal } from './DeleteUserModal';
import { KillSwitchModal } from './KillSwitchModal';
import { OperatorFormModal, type OperatorFormMode } from './OperatorFormModal';
import { RegenerateKeyModal } from './RegenerateKeyModal';
import { ColumnChooser } from './ColumnChooser';
import { UserDetailDrawer, type UserAction } from './UserDetailDrawer';
import { UserTable } from './UserTable';
import { useHiddenColumns } from '../api/useHiddenColumns';

const SEARCH_DEBOUNCE_MS = 200;

const KIND_OPTIONS = [
  { value: 'all', label: 'All' },
  { value: 'operator', label: 'Operators' },
  { value: 'api', label: 'API users' },
];


type Dialog =
  | { type: 'api'; mode: APIUserFormMode }
  | { type: 'operator'; mode: OperatorFormMode }
  | { type: 'delete'; row: UserRow }
  | { type: 'regenerate'; username: string }
  | { type: 'revoke' }
  | { type: 'bulk' }
  | null;

interface Notice {
  color: 'green' | 'red';
  title: string;
  message: string;
}

/** A filter from a link, with a button that removes it. */
function FilterChip({ label, onRemove }: { label: string; onRemove: () => void }) {
  return (
    <Badge
      size="lg"
      variant="light"
      tt="none"
      fw={500}
      rightSection={<CloseButton size="xs" onClick={onRemove} aria-label={`Remove the filter: ${label}`} />}
    >
      {label}
    </Badge>
  );
}

function dayWords(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}

/** Users: every operator and API user, searchable, filterable, sortable, windowed. */
export function UsersScreen({ operator, initialFilter = {} }: { operator: Operator; initialFilter?: UsersListFilter }) {
  const { handleError } = useSession();
  const roles = useRoles();
  const [search, setSearch] = useState(initialFilter.search ?? '');
  const [debouncedSearch] = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const [kind, setKind] = useState<string>(initialFilter.kind ?? 'all');
  const [role, setRole] = useState('all');
  const [keyStatus, setKeyStatus] = useState<string>(initialFilter.keyStatus ?? 'all');
  // Filters a link from Home opens with; shown as removable chips.
  const [expiringWithinDays, setExpiringWithinDays] = useState(initialFilter.expiringWithinDays ?? 0);
  const [idle, setIdle] = useState(initialFilter.idle ?? false);
  const [sort, setSort] = useState<{ by: UserSortBy; desc: boolean }>({ by: 'username', desc: false });
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  // The row whose detail drawer is open; detailVersion reloads it after a change.
  const [opened, setOpened] = useState<UserRow | null>(null);
  const [detailVersion, setDetailVersion] = useState(0);
  const columns = useHiddenColumns();

  const filters = useMemo<UserFilters>(
    () => ({
      search: debouncedSearch,
      kind: kind === 'all' ? '' : (kind as UserKind),
      role: role === 'all' ? '' : role,
      keyStatus: keyStatus === 'all' ? '' : (keyStatus as KeyStatus),
      ...(expiringWithinDays > 0 ? { expiringWithinDays } : {}),
      ...(idle ? { idle } : {}),
      sortBy: sort.by,
      desc: sort.desc,
    }),
    [debouncedSearch, kind, role, keyStatus, expiringWithinDays, idle, sort],
  );
  const list = useUserList(filters);
  const { refresh } = list;
  const reloadRoles = roles.reload;
  const resetKey = JSON.stringify(filters);

  useEffect(() => {
    if (!notice) return;
    const t = window.setTimeout(() => setNotice(null), 6000);
    return () => window.clearTimeout(t);
  }, [notice]);

  const mayAPI = canManageAPIUsers(operator);
  const mayOperators = canManageOperators(operator);
  const isSelf = (row: UserRow) => row.username.toLowerCase() === operator.username.toLowerCase();
  const mayManage = (row: UserRow) => (row.kind === 'api' ? mayAPI : mayOperators);

  const onSort = (by: UserSortBy) =>
    setSort((prev) => (prev.by === by ? { by, desc: !prev.desc } : { by, desc: false }));

  const changed = useCallback(() => {
    refresh();
    reloadRoles();
    setDetailVersion((v) => v + 1);
  }, [refresh, reloadRoles]);

  const saved = (row: UserRow, created: boolean) => {
    setDialog(null);
    changed();
    setNotice({
      color: 'green',
      title: created ? 'User added' : 'User saved',
      message: created ? `${row.username} was added.` : `${row.username} was saved.`,
    });
  };

  const toggleDisabled = async (row: UserRow) => {
    try {
      const next = await api.setUserDisabled(row.username, !row.disabled);
      refresh();
      setDetailVersion((v) => v + 1);
      setNotice(
        next.disabled
          ? {
              color: 'green',
              title: 'User disabled',
              message:
                row.kind === 'api'
                  ? `${row.username} is disabled; its API key is refused until it is enabled again.`
                  : `${row.username} is disabled and can no longer log in.`,
            }
          : { color: 'green', title: 'User enabled', message: `${row.username} is enabled again.` },
      );
    } catch (e) {
      setNotice({ color: 'red', title: 'Could not change the user', message: handleError(e).message });
    }
  };

  const edit = (row: UserRow) =>
    setDialog(
      row.kind === 'api'
        ? { type: 'api', mode: { kind: 'edit', username: row.username } }
        : { type: 'operator', mode: { kind: 'edit', username: row.username } },
    );

  /** What the operator may do to row: the row menu's items and the detail drawer's buttons. */
  const rowActions = (row: UserRow): UserAction[] => {
    if (!mayManage(row)) return [];
    const self = isSelf(row);
    const out: UserAction[] = [{ label: 'Edit', onClick: () => edit(row) }];
    if (row.kind === 'api' && row.restEnabled) {
      out.push({ label: 'Regenerate API Key', onClick: () => setDialog({ type: 'regenerate', username: row.username }) });
    }
    if (!self) {
      out.push(
        { label: row.disabled ? 'Enable' : 'Disable', onClick: () => void toggleDisabled(row) },
        { label: 'Delete', danger: true, onClick: () => setDialog({ type: 'delete', row }) },
      );
    }
    return out;
  };

  const actions = (row: UserRow) => {
    const items = rowActions(row);
    if (items.length === 0) return null;
    return (
      <Menu position="bottom-end" withinPortal shadow="md">
        <Menu.Target>
          <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${row.username}`}>
            <span aria-hidden style={{ fontSize: 18, lineHeight: 1 }}>
              ⋯
            </span>
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          {items.map((a) =>
            a.danger ? (
              <Fragment key={a.label}>
                <Menu.Divider />
                <Menu.Item color="red" onClick={a.onClick}>
                  {a.label}
                </Menu.Item>
              </Fragment>
            ) : (
              <Menu.Item key={a.label} onClick={a.onClick}>
                {a.label}
              </Menu.Item>
            ),
          )}
        </Menu.Dropdown>
      </Menu>
    );
  };

  const roleOptions = [{ value: 'all', label: 'All' }, ...roles.data.map((r) => ({ value: r.id, label: r.name }))];

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Group gap="sm" align="baseline">
          <Title order={1} size="h2">
            Users
          </Title>
          <Text c="dimmed" size="sm" aria-live="polite">
            {list.total !== null ? countUsers(list.total) : list.error ? '' : 'Loading…'}
          </Text>
        </Group>
        {(mayAPI || mayOperators) && (
          <Menu position="bottom-end" shadow="md">
            <Menu.Target>
              <Button rightSection={<span aria-hidden>▾</span>} disabled={roles.data.length === 0}>
                Add User
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {mayOperators && (
                <Menu.Item onClick={() => setDialog({ type: 'operator', mode: { kind: 'add' } })}>Add User</Menu.Item>
              )}
              {mayAPI && <Menu.Item onClick={() => setDialog({ type: 'api', mode: { kind: 'add' } })}>Add API User</Menu.Item>}
              {mayAPI && <Menu.Item onClick={() => setDialog({ type: 'bulk' })}>Add API Users in Bulk</Menu.Item>}
            </Menu.Dropdown>
          </Menu>
        )}
      </Group>

      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="Username, host, full name, department, location"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          style={{ flex: '1 1 320px' }}
          type="search"
        />
        <Select label="Kind" data={KIND_OPTIONS} value={kind} onChange={(v) => setKind(v ?? 'all')} allowDeselect={false} w={150} />
        <Select
          label="Access Level"
          data={roleOptions}
          value={role}
          onChange={(v) => setRole(v ?? 'all')}
          allowDeselect={false}
          w={220}
        />
        <Select
          label="Key Status"
          data={KEY_STATUS_OPTIONS}
          value={keyStatus}
          onChange={(v) => setKeyStatus(v ?? 'all')}
          allowDeselect={false}
          w={220}
        />
        <ColumnChooser hidden={columns.hidden} onToggle={columns.toggle} onReset={columns.reset} />
        {mayAPI && (
          <Button variant="default" color="red" onClick={() => setDialog({ type: 'revoke' })}>
            Revoke keys…
          </Button>
        )}
      </Group>

      {(expiringWithinDays > 0 || idle) && (
        <Group gap="xs" aria-label="Also filtered by">
          {expiringWithinDays > 0 && (
            <FilterChip
              label={`Keys expiring within ${dayWords(expiringWithinDays)}`}
              onRemove={() => setExpiringWithinDays(0)}
            />
          )}
          {idle && <FilterChip label="Idle keys (unused for 90 days or never used)" onRemove={() => setIdle(false)} />}
        </Group>
      )}
      {notice && (
        <Notification
          color={notice.color}
          title={notice.title}
          onClose={() => setNotice(null)}
          role="status"
          withBorder
          closeButtonProps={{ 'aria-label': 'Dismiss' }}
        >
          {notice.message}
        </Notification>
      )}
      <ErrorAlert title="Could not load users" message={list.error?.message} />
      <ErrorAlert title="Could not load the access levels" message={roles.error?.message} />

      <UserTable
        total={list.total}
        rowAt={list.rowAt}
        onRangeChange={list.setVisibleRange}
        sortBy={sort.by}
        desc={sort.desc}
        onSort={onSort}
        resetKey={resetKey}
        actions={actions}
        hidden={columns.hidden}
        onOpen={setOpened}
      />
      <UserDetailDrawer row={opened} version={detailVersion} actions={rowActions} onClose={() => setOpened(null)} />

      {dialog?.type === 'api' && (
        <APIUserFormModal
          mode={dialog.mode}
          operator={operator}
          roles={roles.data}
          onClose={() => setDialog(null)}
          onSaved={saved}
          onChanged={changed}
        />
      )}
      {dialog?.type === 'operator' && (
        <OperatorFormModal
          mode={dialog.mode}
          operator={operator}
          roles={roles.data}
          onClose={() => setDialog(null)}
          onSaved={saved}
        />
      )}
      {dialog?.type === 'delete' && (
        <DeleteUserModal
          row={dialog.row}
          onClose={() => setDialog(null)}
          onDeleted={(username) => {
            setDialog(null);
            setOpened((o) => (o?.username === username ? null : o));
            changed();
            setNotice({ color: 'green', title: 'User deleted', message: `${username} was deleted.` });
          }}
        />
      )}
      {dialog?.type === 'bulk' && (
        <BulkAPIUsersModal operator={operator} roles={roles.data} onClose={() => setDialog(null)} onCreated={changed} />
      )}
      {dialog?.type === 'revoke' && (
        <KillSwitchModal
          roles={roles.data}
          onClose={() => setDialog(null)}
          onRevoked={(res) => {
            setDialog(null);
            refresh();
            setNotice({
              color: 'green',
              title: 'Keys revoked',
              message: `Access of ${res.revoked.toLocaleString('en-US')} API user${res.revoked === 1 ? '' : 's'} revoked${
                res.notYours + res.alreadyRevoked > 0
                  ? ` (${res.notYours} not yours to revoke and ${res.alreadyRevoked} already revoked were skipped)`
                  : ''
              }. Restore access per user in Edit API User.`,
            });
          }}
        />
      )}
      {dialog?.type === 'regenerate' && (
        <RegenerateKeyModal
          username={dialog.username}
          onClose={() => setDialog(null)}
          onRegenerated={() => {
            refresh();
            setDetailVersion((v) => v + 1);
          }}
        />
      )}
    </Stack>
  );
}
