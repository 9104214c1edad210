import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useSession } from '../../session/useSession';

interface Props {
  title: string;
  /** e.g. "Delete db01 and its accounts?" */
  question: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** Asks before deleting; shows the backend's refusal (e.g. Forbidden) in place. */
export function ConfirmDeleteModal({ title, question, onConfirm, onClose }: Props) {
  const { handleError } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (e) {
      setError(handleError(e).message);
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={title} centered>
      <Stack gap="md">
        <Text size="sm">{question}</Text>
        <ErrorAlert title="Could not delete" message={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button color="red" onClick={() => void confirm()} loading={busy}>
            Delete
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
