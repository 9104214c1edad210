import { Alert, Button, Checkbox, Code, Group, Modal, PasswordInput, Progress, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FormButtons } from '../../../components/FormFooter';
import { useLoad } from '../../../hooks/useLoad';
import { backupApi, type BackupProgress, type RestoreResult } from '../../../lib/wails';
import { splitErrors } from '../../users/formErrors';
import { useSession } from '../useSession';
import { MIN_SECRET_LENGTH, charCount } from '../validation';
import { focusFirstError } from '../../../lib/focusFirstError';

/** The fields the backend names in a refused restore, in the dialog's order. */
const FIELDS = ['file', 'passphrase', 'newPassphrase', 'confirmNewPassphrase'] as const;

interface Values {
  file: string;
  passphrase: string;
  newPassphrase: string;
  confirmNewPassphrase: string;
  replace: boolean;
}

/** The login screen's notice after a restore: what was restored, where the old data went. */
export function restoredNotice(r: RestoreResult): string {
  const when = new Date(r.createdAt);
  const date = Number.isNaN(when.getTime()) ? r.createdAt : when.toLocaleString('en-US');
  const parts = [`Restored the backup of ${date} (${r.records.toLocaleString('en-US')} records).`];
  if (r.aside) parts.push(`The data from before the restore is kept in ${r.aside}.`);
  parts.push('Log in with a user from the backup.');
  return parts.join(' ');
}

interface Props {
  onClose: () => void;
}

/**
 * Restore from a backup: the file, its passphrase (and a new passphrase for
 * the restored master key without an OS keyring), a warning that the
 * current data is replaced and kept aside, then the restore. On success the
 * app shows the login screen of the restored vault.
 */
export function RestoreBackupModal({ onClose }: Props) {
  const { applyState, handleError } = useSession();
  const { data: info, error: infoError } = useLoad(backupApi.getRestoreInfo, []);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<BackupProgress | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  // The backend may ask for a new passphrase the info did not foresee.
  const [askNew, setAskNew] = useState(false);
  // Progress events while the call runs (the first arrive after scrypt, a second or so in).
  useEffect(() => (busy ? backupApi.onRestoreProgress(setProgress) : undefined), [busy]);

  const needsNew = askNew || (info?.needsNewPassphrase ?? false);
  const hasData = info?.hasData ?? false;

  const form = useForm<Values>({
    initialValues: { file: '', passphrase: '', newPassphrase: '', confirmNewPassphrase: '', replace: false },
    validate: {
      file: (v) => (v.trim() === '' ? 'Backup file: choose the backup to restore' : null),
      passphrase: (v) => (v === '' ? 'Backup passphrase: required' : null),
      newPassphrase: (v) =>
        needsNew && charCount(v) < MIN_SECRET_LENGTH
          ? `New passphrase: at least ${MIN_SECRET_LENGTH} characters (it will unlock the restored vault)`
          : null,
      confirmNewPassphrase: (v, values) =>
        needsNew && v !== values.newPassphrase ? 'Confirm New Passphrase: does not match the new passphrase' : null,
      replace: (v) => (hasData && !v ? 'Confirm that the current data is replaced' : null),
    },
  });

  const focusFirst = (errors: Record<string, unknown>) => focusFirstError(form, FIELDS, errors);

  const choose = async () => {
    try {
      const path = await backupApi.chooseRestoreFile();
      if (path) form.setFieldValue('file', path);
    } catch (e) {
      setFormError(handleError(e).message);
    }
  };

  const submit = async (v: Values) => {
    setFormError(null);
    setBusy(true);
    setProgress(null);
    try {
      const res = await backupApi.restoreBackup({
        file: v.file.trim(),
        passphrase: v.passphrase,
        newPassphrase: needsNew ? v.newPassphrase : '',
      });
      applyState(res.state, restoredNotice(res));
    } catch (e) {
      const err = handleError(e);
      const { fieldErrors, formError: rest } = splitErrors(err, FIELDS);
      if ('newPassphrase' in fieldErrors) setAskNew(true);
      form.setErrors(fieldErrors);
      setFormError(rest);
      setBusy(false);
      focusFirst(fieldErrors);
    }
  };

  return (
    <Modal opened onClose={busy ? () => {} : onClose} title="Restore from a backup" size="lg" closeOnClickOutside={!busy} withCloseButton={!busy}>
      <form onSubmit={form.onSubmit(submit, focusFirst)} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            Hostbound reads and verifies the whole backup and its audit trail before it replaces anything. A wrong passphrase or a
            damaged file changes nothing.
          </Text>
          <Group gap="sm" align="flex-start" wrap="nowrap">
            <TextInput
              label="Backup file"
              required
              style={{ flex: 1 }}
              spellCheck={false}
              autoComplete="off"
              data-autofocus
              {...form.getInputProps('file')}
            />
            <Button variant="default" mt={25} onClick={() => void choose()} disabled={busy}>
              Choose…
            </Button>
          </Group>
          <PasswordInput
            label="Backup passphrase"
            description="The passphrase the backup was created with."
            required
            autoComplete="off"
            {...form.getInputProps('passphrase')}
          />
          {needsNew && (
            <>
              <Alert color="yellow" variant="light" title="A new passphrase for the restored vault">
                Without an OS keyring, the restored master key is protected with a passphrase, asked for at every start.
              </Alert>
              <PasswordInput
                label="New passphrase"
                description={`At least ${MIN_SECRET_LENGTH} characters. Unlocks the restored vault at every start.`}
                required
                autoComplete="new-password"
                {...form.getInputProps('newPassphrase')}
              />
              <PasswordInput
                label="Confirm New Passphrase"
                required
                autoComplete="new-password"
                {...form.getInputProps('confirmNewPassphrase')}
              />
            </>
          )}
          <ErrorAlert title="Could not read where the data is kept" message={infoError?.message} />
          {hasData && info && (
            <Alert color="red" variant="light" title="The current data is replaced">
              <Stack gap={6}>
                <Text size="sm">
                  Every user, resource, password, setting and audit record now in Hostbound is replaced by the backup&apos;s. Your
                  session ends; log in again with a user from the backup.
                </Text>
                <Text size="sm">
                  The current data is kept aside in <Code style={{ wordBreak: 'break-all' }}>{info.asidePattern}</Code>. Hostbound
                  never deletes it; remove it yourself once the restored data is right.
                </Text>
              </Stack>
            </Alert>
          )}
          {hasData && (
            <Checkbox
              label="Replace the current data with this backup"
              {...form.getInputProps('replace', { type: 'checkbox' })}
            />
          )}
          {busy && (
            <Stack gap={4}>
              <Progress
                value={progress && progress.total > 0 ? (100 * progress.done) / progress.total : 0}
                animated={!progress}
                aria-label="Restore progress"
              />
              <Text size="sm" c="dimmed">
                {progress && progress.total > 0
                  ? `Verified ${progress.done.toLocaleString('en-US')} of ${progress.total.toLocaleString('en-US')} records…`
                  : 'Opening the backup…'}
              </Text>
            </Stack>
          )}
          <ErrorAlert title="Nothing was restored" message={formError} />
          <FormButtons justify="flex-end" saving={busy} onCancel={onClose} submitLabel="Restore Backup" />
        </Stack>
      </form>
    </Modal>
  );
}
