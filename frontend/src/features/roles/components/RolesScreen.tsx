import { ActionIcon, Badge, Button, Group, Menu, Modal, Notification, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { api, type Operator, type RoleView } from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { usePermissions, useRoles } from '../api/useRoles';
import { RoleFormModal } from './RoleFormModal';

type Dialog = { type: 'form'; role: RoleView | null } | { type: 'delete'; role: RoleView } | null;

function DeleteRoleModal({ role, onClose, onDeleted }: { role: RoleView; onClose: () => void; onDeleted: () => void }) {
  const { handleError } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.deleteRole(role.id);
      onDeleted();
    } catch (e) {
      setError(handleError(e).message);
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title="Delete Role" centered>
      <Stack gap="md">
        <Text size="sm">Delete the role {role.name}?</Text>
        <ErrorAlert title="Could not delete the role" message={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button color="red" onClick={remove} loading={busy}>
            Delete
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Roles (access levels): the built-in ones, read-only, and custom ones. */
export function RolesScreen({ operator }: { operator: Operator }) {
  const roles = useRoles();
  const permissions = usePermissions();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (!notice) return;
    const t = window.setTimeout(() => setNotice(null), 6000);
    return () => window.clearTimeout(t);
  }, [notice]);

  const labelOf = (id: string) => permissions.data.find((p) => p.id === id)?.label ?? id;

  return (
    <Stack gap="md" maw={980}>
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={1} size="h2">
            Roles
          </Title>
          <Text c="dimmed" size="sm">
            An access level is a set of permissions. Built-in roles are fixed; custom roles can be changed.
          </Text>
        </Stack>
        <Button onClick={() => setDialog({ type: 'form', role: null })} disabled={permissions.data.length === 0}>
          Add Role
        </Button>
      </Group>

      {notice && (
        <Notification color="green" role="status" withBorder onClose={() => setNotice(null)} closeButtonProps={{ 'aria-label': 'Dismiss' }}>
          {notice}
        </Notification>
      )}
      <ErrorAlert title="Could not load the roles" message={roles.error?.message} />
      <ErrorAlert title="Could not load the permissions" message={permissions.error?.message} />

      <Table withTableBorder highlightOnHover verticalSpacing="sm" aria-label="Roles">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Permissions</Table.Th>
            <Table.Th>Users</Table.Th>
            <Table.Th w={70}>
              <span style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>
                Actions
              </span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {roles.data.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Text size="sm" fw={600}>
                    {r.name}
                  </Text>
                  {r.builtIn && (
                    <Badge size="sm" variant="light" color="gray">
                      Built-in
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td title={r.permissions.map(labelOf).join(', ')}>
                {r.permissions.length} {r.permissions.length === 1 ? 'permission' : 'permissions'}
              </Table.Td>
              <Table.Td>{r.users.toLocaleString('en-US')}</Table.Td>
              <Table.Td>
                {!r.builtIn && (
                  <Menu position="bottom-end" shadow="md">
                    <Menu.Target>
                      <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${r.name}`}>
                        <span aria-hidden style={{ fontSize: 18, lineHeight: 1 }}>
                          ⋯
                        </span>
                      </ActionIcon>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item onClick={() => setDialog({ type: 'form', role: r })}>Edit</Menu.Item>
                      <Menu.Item color="red" onClick={() => setDialog({ type: 'delete', role: r })}>
                        Delete
                      </Menu.Item>
                    </Menu.Dropdown>
                  </Menu>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      {dialog?.type === 'form' && (
        <RoleFormModal
          role={dialog.role}
          operator={operator}
          permissions={permissions.data}
          onClose={() => setDialog(null)}
          onSaved={(role, created) => {
            setDialog(null);
            roles.reload();
            setNotice(created ? `The role ${role.name} was added.` : `The role ${role.name} was saved.`);
          }}
        />
      )}
      {dialog?.type === 'delete' && (
        <DeleteRoleModal
          role={dialog.role}
          onClose={() => setDialog(null)}
          onDeleted={() => {
            const name = dialog.role.name;
            setDialog(null);
            roles.reload();
            setNotice(`The role ${name} was deleted.`);
          }}
        />
      )}
    </Stack>
  );
}
