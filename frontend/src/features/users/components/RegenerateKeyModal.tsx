import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { api, type UserRow } from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { CopyKeyButton } from './CopyButton';
import { KeyOnceWarning } from './KeyOnceWarning';

/**
 * Regenerate API Key: asks first (the current key stops working at once),
 * then shows the new key once. Closing forgets it.
 */
export function RegenerateKeyModal({
  username,
  onClose,
  onRegenerated,
}: {
  username: string;
  onClose: () => void;
  onRegenerated: (row: UserRow) => void;
}) {
  const { handleError } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [key, setKey] = useState('');

  const regenerate = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await api.regenerateAPIKey(username);
      setKey(res.apiKey);
      onRegenerated(res.user);
    } catch (e) {
      setError(handleError(e).message);
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    setKey('');
    onClose();
  };

  return (
    <Modal opened onClose={close} title={key ? 'New API Key' : 'Regenerate API Key'} size="lg" centered>
      {key ? (
        <Stack gap="md">
          <Text size="sm">
            The new API key of <strong>{username}</strong> is active; the previous key no longer works.
          </Text>
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <TextInput label="API Key" value={key} readOnly ff="monospace" style={{ flex: 1 }} onFocus={(e) => e.currentTarget.select()} />
            <CopyKeyButton text={key} />
          </Group>
          <KeyOnceWarning saved />
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="md">
          <Text size="sm">
            Regenerate the API key of <strong>{username}</strong>? The current key stops working at once; the new key
            is shown once.
          </Text>
          <ErrorAlert title="Could not regenerate the key" message={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button color="orange" onClick={regenerate} loading={busy}>
              Regenerate
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
