import { Button, Group, Modal, PasswordInput, Progress, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FormButtons } from '../../../components/FormFooter';
import { backupApi, type BackupProgress, type BackupResult } from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { MIN_SECRET_LENGTH, charCount } from '../../session/validation';
import { splitErrors } from '../../users/formErrors';
import { focusFirstError } from '../../../lib/focusFirstError';

/** The fields the backend names when it refuses a backup, in the form's order. */
const FIELDS = ['path', 'passphrase', 'confirmPassphrase'] as const;

/** The backup passphrase rule, as the backend words it. */
export const BACKUP_PASSPHRASE_RULE = `At least ${MIN_SECRET_LENGTH} characters. You need it to restore the backup; Hostbound does not keep it.`;

interface Values {
  path: string;
  passphrase: string;
  confirmPassphrase: string;
}

interface Props {
  onClose: () => void;
  onWritten: (result: BackupResult) => void;
}

/** Create backup: where to save it (the save dialog), its passphrase twice, then the backup with progress. */
export function BackupCreateModal({ onClose, onWritten }: Props) {
  const { handleError } = useSession();
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<BackupProgress | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  // Progress events while the call runs (the first arrive after scrypt, a second or so in).
  useEffect(() => (busy ? backupApi.onBackupProgress(setProgress) : undefined), [busy]);

  const form = useForm<Values>({
    initialValues: { path: '', passphrase: '', confirmPassphrase: '' },
    validate: {
      path: (v) => (v.trim() === '' ? 'Backup file: choose where to save the backup' : null),
      passphrase: (v) =>
        charCount(v) < MIN_SECRET_LENGTH ? `Backup passphrase: at least ${MIN_SECRET_LENGTH} characters` : null,
      confirmPassphrase: (v, values) =>
        v !== values.passphrase ? 'Confirm Passphrase: does not match the passphrase' : null,
    },
  });

  const focusFirst = (errors: Record<string, unknown>) => focusFirstError(form, FIELDS, errors);

  const choose = async () => {
    try {
      const path = await backupApi.chooseBackupFile();
      if (path) form.setFieldValue('path', path);
    } catch (e) {
      setFormError(handleError(e).message);
    }
  };

  const submit = async (v: Values) => {
    setFormError(null);
    setBusy(true);
    setProgress(null);
    try {
      const res = await backupApi.createBackup({ path: v.path.trim(), passphrase: v.passphrase, confirmPassphrase: v.confirmPassphrase });
      onWritten(res);
    } catch (e) {
      const err = handleError(e);
      const { fieldErrors, formError: rest } = splitErrors(err, FIELDS);
      form.setErrors(fieldErrors);
      setFormError(rest);
      setBusy(false);
      focusFirst(fieldErrors);
    }
  };

  return (
    <Modal opened onClose={busy ? () => {} : onClose} title="Create a backup" size="lg" closeOnClickOutside={!busy} withCloseButton={!busy}>
      <form onSubmit={form.onSubmit(submit, focusFirst)} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            The backup is one file with everything in Hostbound — users, resources, passwords, settings and the audit trail —
            encrypted with a passphrase you choose, so that it can be restored on another computer.
          </Text>
          <Group gap="sm" align="flex-start" wrap="nowrap">
            <TextInput
              label="Backup file"
              required
              style={{ flex: 1 }}
              spellCheck={false}
              autoComplete="off"
              {...form.getInputProps('path')}
            />
            <Button variant="default" mt={25} onClick={() => void choose()} disabled={busy} data-autofocus>
              Choose…
            </Button>
          </Group>
          <PasswordInput
            label="Backup passphrase"
            description={BACKUP_PASSPHRASE_RULE}
            required
            autoComplete="new-password"
            {...form.getInputProps('passphrase')}
          />
          <PasswordInput label="Confirm Passphrase" required autoComplete="new-password" {...form.getInputProps('confirmPassphrase')} />
          {busy && (
            <Stack gap={4}>
              <Progress
                value={progress && progress.total > 0 ? (100 * progress.done) / progress.total : 0}
                animated={!progress}
                aria-label="Backup progress"
              />
              <Text size="sm" c="dimmed">
                {progress && progress.total > 0
                  ? `Written ${progress.done.toLocaleString('en-US')} of ${progress.total.toLocaleString('en-US')} records…`
                  : 'Preparing the encryption…'}
              </Text>
            </Stack>
          )}
          <ErrorAlert title="The backup was not written" message={formError} />
          <FormButtons justify="flex-end" saving={busy} onCancel={onClose} submitLabel="Create Backup" />
        </Stack>
      </form>
    </Modal>
  );
}
