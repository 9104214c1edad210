import { Button, PasswordInput, Stack } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { AuthLayout } from '../../../components/AuthLayout';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { api } from '../../../lib/wails';
import { useSession } from '../useSession';
import { RestoreFromBackup } from './RestoreFromBackup';

/** Passphrase mode: the master key is wrapped with a passphrase. */
export function UnlockScreen() {
  const { applyState, handleError } = useSession();
  const [passphrase, setPassphrase] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    if (passphrase === '') {
      setFieldError('Passphrase is required');
      return;
    }
    setFieldError(null);
    setBusy(true);
    try {
      applyState(await api.unlock(passphrase));
    } catch (e) {
      const err = handleError(e);
      if (err.field === 'passphrase') setFieldError(err.message);
      else setFormError(err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout
      title="Unlock Hostbound"
      description="The master key of this vault is protected with a passphrase. Enter it to open your data."
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <PasswordInput
            label="Passphrase"
            required
            autoFocus
            autoComplete="current-password"
            value={passphrase}
            onChange={(e) => {
              setPassphrase(e.currentTarget.value);
              setFieldError(null);
            }}
            error={fieldError}
          />
          <ErrorAlert message={formError} />
          <Button type="submit" loading={busy} disabled={busy} fullWidth size="md">
            Unlock
          </Button>
        </Stack>
      </form>
      <RestoreFromBackup />
    </AuthLayout>
  );
}
