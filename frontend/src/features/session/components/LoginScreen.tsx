import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { AuthLayout } from '../../../components/AuthLayout';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { api } from '../../../lib/wails';
import { useSession } from '../useSession';

type FieldErrors = { username?: string; password?: string };

/** Username and password of an operator. */
export function LoginScreen() {
  const { applyState, handleError, notice } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    const errors: FieldErrors = {};
    if (username.trim() === '') errors.username = 'Username is required';
    if (password === '') errors.password = 'Password is required';
    setFieldErrors(errors);
    if (errors.username || errors.password) return;

    setBusy(true);
    try {
      applyState(await api.logIn(username, password));
    } catch (e) {
      const err = handleError(e);
      if (err.field === 'username' || err.field === 'password') setFieldErrors({ [err.field]: err.message });
      else setFormError(err.message);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout title="Log in to Hostbound" description="Log in with your Hostbound operator account.">
      {notice && (
        <Alert color="blue" variant="light" title="Logged out">
          {notice}
        </Alert>
      )}
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <TextInput
            label="Username"
            required
            autoFocus
            autoComplete="username"
            value={username}
            onChange={(e) => {
              setUsername(e.currentTarget.value);
              setFieldErrors((prev) => ({ ...prev, username: undefined }));
            }}
            error={fieldErrors.username}
          />
          <PasswordInput
            label="Password"
            required
            autoComplete="current-password"
            value={password}
            onChange={(e) => {
              setPassword(e.currentTarget.value);
              setFieldErrors((prev) => ({ ...prev, password: undefined }));
            }}
            error={fieldErrors.password}
          />
          <ErrorAlert title="Login failed" message={formError} />
          <Button type="submit" loading={busy} disabled={busy} fullWidth size="md">
            Log In
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
