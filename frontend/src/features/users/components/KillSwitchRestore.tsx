import { Alert, Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { useLoad } from '../../../hooks/useLoad';
import { killSwitchApi } from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { formatDateTime } from '../format';

/**
 * The kill switch in the Edit API User form: when the user's access is
 * revoked, who revoked it, when and why, and "Restore access" (the key,
 * SSH key and certificate work again as they were). Nothing otherwise.
 */
export function KillSwitchRestore({ username, onRestored }: { username: string; onRestored: () => void }) {
  const { handleError } = useSession();
  const revocation = useLoad(() => killSwitchApi.getRevocation(username), [username]);
  const [busy, setBusy] = useState(false);
  const [restored, setRestored] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const restore = async () => {
    setBusy(true);
    setError(null);
    try {
      await killSwitchApi.restoreAccess(username);
      setRestored(true);
      onRestored();
    } catch (e) {
      setError(handleError(e).message);
    } finally {
      setBusy(false);
    }
  };

  if (restored) {
    return (
      <Alert color="green" title="Access restored" role="status">
        {username} can use its API key, SSH key and certificate again.
      </Alert>
    );
  }
  const r = revocation.data;
  if (!r?.revoked) return null;
  return (
    <Alert color="red" title="Access revoked" role="alert">
      <Text size="sm">
        Revoked by {r.by} on {formatDateTime(r.at)}: {r.reason}
      </Text>
      <Text size="sm" c="dimmed" mt={4}>
        Every request with its API key, SSH key or certificate is refused until access is restored.
      </Text>
      {error && (
        <Text size="sm" c="red" mt={4}>
          {error}
        </Text>
      )}
      <Group mt="sm">
        <Button color="red" variant="light" size="compact-sm" onClick={() => void restore()} loading={busy}>
          Restore access
        </Button>
      </Group>
    </Alert>
  );
}
