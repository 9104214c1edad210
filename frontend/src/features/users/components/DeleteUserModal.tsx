import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { api, type UserRow } from '../../../lib/wails';
import { useSession } from '../../session/useSession';

/** "Delete backup@web01.example.com? Its API key stops working at once." */
export function deleteQuestion(row: Pick<UserRow, 'username' | 'kind'>): string {
  return row.kind === 'api'
    ? `Delete ${row.username}? Its API key stops working at once.`
    : `Delete ${row.username}? They can no longer log in.`;
}

export function DeleteUserModal({
  row,
  onClose,
  onDeleted,
}: {
  row: UserRow;
  onClose: () => void;
  onDeleted: (username: string) => void;
}) {
  const { handleError } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.deleteUser(row.username);
      onDeleted(row.username);
    } catch (e) {
      setError(handleError(e).message);
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={row.kind === 'api' ? 'Delete API User' : 'Delete User'} centered>
      <Stack gap="md">
        <Text size="sm">{deleteQuestion(row)}</Text>
        <ErrorAlert title="Could not delete" message={error} />
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
