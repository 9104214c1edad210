import { Alert, Button, Code, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { AuthLayout } from '../../../components/AuthLayout';
import { ErrorAlert } from '../../../components/ErrorAlert';
import type { AppState } from '../../../lib/wails';
import { useSession } from '../useSession';

/** The master key cannot be had: explain why and leave the data alone. */
export function LockedScreen({ state }: { state: AppState }) {
  const { reload, loadError } = useSession();
  const [busy, setBusy] = useState(false);

  const tryAgain = async () => {
    setBusy(true);
    try {
      await reload();
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout title="Hostbound is locked">
      <Alert color="red" variant="light" title="The master key is not available">
        {state.lockedReason || 'The master key could not be loaded.'}
      </Alert>
      <Text size="sm">
        Your data was left untouched: Hostbound has not changed or re-initialised anything. Fix the problem
        above, then try again.
      </Text>
      {state.dataDir && (
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            Data directory
          </Text>
          <Code block>{state.dataDir}</Code>
        </Stack>
      )}
      <ErrorAlert title="Still locked" message={loadError?.message} />
      <Button onClick={tryAgain} loading={busy} disabled={busy} fullWidth size="md" autoFocus>
        Try Again
      </Button>
    </AuthLayout>
  );
}
