import { Button } from '@mantine/core';
import { useState } from 'react';
import { AuthLayout } from '../../../components/AuthLayout';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useSession } from '../useSession';

/** GetAppState itself failed (or answered with a phase this UI does not know). */
export function StartupErrorScreen({ message }: { message: string }) {
  const { reload } = useSession();
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
    <AuthLayout title="Hostbound could not start">
      <ErrorAlert message={message} />
      <Button onClick={tryAgain} loading={busy} disabled={busy} fullWidth size="md" autoFocus>
        Try Again
      </Button>
    </AuthLayout>
  );
}
