import { Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { api, type UserRow } from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { CopyKeyButton } from './CopyButton';
import { KeyOnceWarning } from './KeyOnceWarning';

/** How long the replaced key keeps working (rotation without downtime). */
const GRACE_OPTIONS = [
  { value: '0', label: 'None: it stops at once' },
  { value: '60', label: '1 hour' },
  { value: '1440', label: '24 hours' },
  { value: '10080', label: '7 days' },
];

/**
 * Regenerate API Key: asks first, with a grace period for the current key
 * (none by default), then shows the new key once. Closing forgets it.
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
  const [grace, setGrace] = useState('0');

  const regenerate = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await api.regenerateAPIKey(username, Number(grace));
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
            The new API key of <strong>{username}</strong> is active;{' '}
            {grace === '0'
              ? 'the previous key no longer works.'
              : `the previous key keeps working for ${GRACE_OPTIONS.find((o) => o.value === grace)?.label}.`}
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
            Regenerate the API key of <strong>{username}</strong>? The new key is shown once.
          </Text>
          <Select
            label="Old key keeps working for"
            description="A grace period lets scripts switch to the new key without downtime."
            data={GRACE_OPTIONS}
            value={grace}
            onChange={(v) => setGrace(v ?? '0')}
            allowDeselect={false}
          />
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
