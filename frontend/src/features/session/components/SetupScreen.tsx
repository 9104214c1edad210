import { Button, Paper, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { AuthLayout } from '../../../components/AuthLayout';
import { ErrorAlert } from '../../../components/ErrorAlert';
import type { AppState, SetupRequest } from '../../../lib/wails';
import { api } from '../../../lib/wails';
import { useSession } from '../useSession';
import { RestoreFromBackup } from './RestoreFromBackup';
import { MIN_SECRET_LENGTH, charCount } from '../validation';
import { KeyringProblem } from './KeyringProblem';

type SetupValues = SetupRequest;

const KEYRING_FIELDS: (keyof SetupValues)[] = ['username', 'fullName', 'email', 'password', 'confirmPassword'];
const PASSPHRASE_FIELDS: (keyof SetupValues)[] = ['passphrase', 'confirmPassphrase'];

/** First run: create the first administrator (and the passphrase without a keyring). */
export function SetupScreen({ state }: { state: AppState }) {
  const { applyState, handleError } = useSession();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [exploring, setExploring] = useState(false);
  const [sampleError, setSampleError] = useState<string | null>(null);
  const needsPassphrase = !state.keyringAvailable;
  const visibleFields = needsPassphrase ? [...KEYRING_FIELDS, ...PASSPHRASE_FIELDS] : KEYRING_FIELDS;

  const form = useForm<SetupValues>({
    initialValues: {
      username: '',
      fullName: '',
      email: '',
      password: '',
      confirmPassword: '',
      passphrase: '',
      confirmPassphrase: '',
    },
    validate: {
      username: (v) => (v.trim() === '' ? 'Username is required' : null),
      fullName: (v) => (v.trim() === '' ? 'Full Name is required' : null),
      email: (v) => (v.trim() !== '' && !/^[^\s@]+@[^\s@]+$/.test(v.trim()) ? 'Enter a valid email address' : null),
      password: (v) =>
        charCount(v) < MIN_SECRET_LENGTH ? `Password must be at least ${MIN_SECRET_LENGTH} characters` : null,
      confirmPassword: (v, values) => (v !== values.password ? 'Passwords do not match' : null),
      passphrase: (v) =>
        needsPassphrase && charCount(v) < MIN_SECRET_LENGTH
          ? `Passphrase must be at least ${MIN_SECRET_LENGTH} characters`
          : null,
      confirmPassphrase: (v, values) =>
        needsPassphrase && v !== values.passphrase ? 'Passphrases do not match' : null,
    },
  });

  const submit = async (values: SetupValues) => {
    setFormError(null);
    setSaving(true);
    try {
      const next = await api.createFirstAdministrator({
        ...values,
        passphrase: needsPassphrase ? values.passphrase : '',
        confirmPassphrase: needsPassphrase ? values.confirmPassphrase : '',
      });
      applyState(next);
    } catch (e) {
      const err = handleError(e);
      if ((visibleFields as string[]).includes(err.field)) {
        form.setFieldError(err.field, err.message);
      } else {
        setFormError(err.message);
      }
    } finally {
      setSaving(false);
    }
  };

  const explore = async () => {
    setSampleError(null);
    setExploring(true);
    try {
      applyState(await api.exploreSampleData());
    } catch (e) {
      setSampleError(handleError(e).message);
      setExploring(false);
    }
  };

  return (
    <AuthLayout
      title="Welcome to Hostbound"
      description="Create the first administrator. This account is a Privileged Administrator with access to all passwords."
    >
      <Paper withBorder radius="md" p="sm">
        <Stack gap="xs">
          <Text size="sm">
            Just evaluating? Look around first: made-up resources, API users and a week of audit history, kept in a
            separate folder and never mixed with your data.
          </Text>
          <Button variant="light" fullWidth onClick={() => void explore()} loading={exploring} disabled={exploring}>
            {state.sampleExists ? 'Open sample data again' : 'Explore with sample data'}
          </Button>
          {exploring && (
            <Text size="sm" c="dimmed" role="status">
              {state.sampleExists ? 'Opening the sample data…' : 'Making the sample data (a few seconds)…'}
            </Text>
          )}
          <ErrorAlert title="Could not open the sample data" message={sampleError} />
        </Stack>
      </Paper>
      <form onSubmit={form.onSubmit(submit)} noValidate>
        <Stack gap="md">
          <TextInput
            label="Username"
            required
            autoFocus
            autoComplete="username"
            {...form.getInputProps('username')}
          />
          <TextInput label="Full Name" required autoComplete="name" {...form.getInputProps('fullName')} />
          <TextInput label="Email" type="email" autoComplete="email" {...form.getInputProps('email')} />
          <PasswordInput
            label="Password"
            description={`At least ${MIN_SECRET_LENGTH} characters.`}
            required
            autoComplete="new-password"
            {...form.getInputProps('password')}
          />
          <PasswordInput
            label="Confirm Password"
            required
            autoComplete="new-password"
            {...form.getInputProps('confirmPassword')}
          />

          {needsPassphrase ? (
            <>
              <KeyringProblem os={state.os} problem={state.keyringProblem} />
              <PasswordInput
                label="Passphrase"
                description={`At least ${MIN_SECRET_LENGTH} characters. Entered at every start.`}
                required
                autoComplete="new-password"
                {...form.getInputProps('passphrase')}
              />
              <PasswordInput
                label="Confirm Passphrase"
                required
                autoComplete="new-password"
                {...form.getInputProps('confirmPassphrase')}
              />
            </>
          ) : (
            <Text size="sm" c="dimmed">
              The master key will be stored in your OS keyring.
            </Text>
          )}

          <ErrorAlert title="Could not create the administrator" message={formError} />
          <Button type="submit" loading={saving} disabled={saving} fullWidth size="md">
            Create Administrator
          </Button>
        </Stack>
      </form>
      <RestoreFromBackup />
    </AuthLayout>
  );
}
