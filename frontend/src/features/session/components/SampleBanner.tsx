import { Alert, Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { api } from '../../../lib/wails';
import { useSession } from '../useSession';

/**
 * Across the top of every screen while the sample data is open: says that
 * nothing here is real, and leaves it (kept for later) or discards it, each
 * in one click.
 */
export function SampleBanner() {
  const { state, applyState, handleError } = useSession();
  const [busy, setBusy] = useState<'leave' | 'discard' | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!state?.sample) return null;

  const leave = async (discard: boolean) => {
    setError(null);
    setBusy(discard ? 'discard' : 'leave');
    try {
      applyState(await api.leaveSampleData(discard));
    } catch (e) {
      setError(handleError(e).message);
      setBusy(null);
    }
  };

  return (
    <Alert color="orange" variant="light" role="region" aria-label="Sample data" mb="md" p="sm">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <div>
          <Text fw={700} size="sm">
            Sample data — nothing here is real
          </Text>
          <Text size="sm">
            Made-up resources, API users on example hosts and a week of audit history, kept apart from your data. The
            REST API and SSH CLI are off.
          </Text>
        </div>
        <Group gap="xs" wrap="nowrap">
          <Button variant="default" onClick={() => void leave(true)} loading={busy === 'discard'} disabled={busy !== null}>
            Discard sample data
          </Button>
          <Button variant="default" onClick={() => void leave(false)} loading={busy === 'leave'} disabled={busy !== null}>
            Leave
          </Button>
        </Group>
      </Group>
      {error && (
        <div style={{ marginTop: 8 }}>
          <ErrorAlert title="Could not leave the sample data" message={error} />
        </div>
      )}
    </Alert>
  );
}
