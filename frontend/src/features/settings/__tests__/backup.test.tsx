import { screen, waitFor, within } from '@testing-library/react';
import { App } from '../../../App';
import type { Operator } from '../../../lib/wails';
import { ASIDE_DIR, BACKUP_FILE, makeRestoreResult, mockBackup } from '../../../test/backupMock';
import { DATA_DIR, alice, backendError, makeState, pam, readyState } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { mockApi, resetApiMock } from '../../../test/wailsMock';

vi.mock('../../../lib/wails');

const PASSPHRASE = 'a long backup passphrase';

beforeEach(() => {
  resetApiMock();
});

/** Opens Settings and returns the Backup and restore card. */
async function openBackup(operator: Operator = alice) {
  mockApi.getAppState.mockResolvedValue(readyState(operator));
  const view = renderWithProviders(<App />);
  const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
  await view.user.click(within(nav).getByRole('button', { name: 'Settings' }));
  const card = await screen.findByRole('region', { name: 'Backup and restore' });
  return { ...view, card };
}

async function openCreate(operator: Operator = alice) {
  const view = await openBackup(operator);
  await view.user.click(within(view.card).getByRole('button', { name: 'Create backup…' }));
  const dialog = await screen.findByRole('dialog', { name: 'Create a backup' });
  return { ...view, dialog };
}

describe('Settings: Create backup', () => {
  it('saves where the save dialog says, with progress, and says where the backup went', async () => {
    let progress: ((p: { done: number; total: number }) => void) | undefined;
    mockBackup.onBackupProgress.mockImplementation((fn) => {
      progress = fn;
      return () => {};
    });
    let finish: () => void = () => {};
    mockBackup.createBackup.mockImplementation(
      (req) =>
        new Promise((resolve) => {
          finish = () => resolve({ path: req.path, records: 1234, bytes: 3 * 1024 * 1024, auditRecords: 567, createdAt: '2025-03-01T12:00:00Z' });
        }),
    );
    const { user, card, dialog } = await openCreate();

    expect(within(dialog).getByLabelText(/^Backup passphrase/)).toHaveAccessibleDescription(
      'At least 12 characters. You need it to restore the backup; Hostbound does not keep it.',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Choose…' }));
    expect(mockBackup.chooseBackupFile).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(within(dialog).getByLabelText(/^Backup file/)).toHaveValue(BACKUP_FILE));
    await user.type(within(dialog).getByLabelText(/^Backup passphrase/), PASSPHRASE);
    await user.type(within(dialog).getByLabelText(/^Confirm Passphrase/), PASSPHRASE);
    await user.click(within(dialog).getByRole('button', { name: 'Create Backup' }));

    expect(mockBackup.createBackup).toHaveBeenCalledWith({ path: BACKUP_FILE, passphrase: PASSPHRASE, confirmPassphrase: PASSPHRASE });
    expect(await within(dialog).findByText('Preparing the encryption…')).toBeInTheDocument();
    await waitFor(() => expect(progress).toBeDefined());
    progress?.({ done: 500, total: 1234 });
    expect(await within(dialog).findByText('Written 500 of 1,234 records…')).toBeInTheDocument();
    expect(within(dialog).getByRole('progressbar', { name: 'Backup progress' })).toBeInTheDocument();

    finish();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Create a backup' })).not.toBeInTheDocument());
    expect(within(card).getByRole('status')).toHaveTextContent(`Backup written to ${BACKUP_FILE} (1,234 records, 3 MB)`);
  });

  it('shows the passphrase rule and a mismatch next to their fields, and calls nothing', async () => {
    const { user, dialog } = await openCreate();
    await user.type(within(dialog).getByLabelText(/^Backup file/), '/tmp/vault.hostbound-backup');
    await user.type(within(dialog).getByLabelText(/^Backup passphrase/), 'too short');
    await user.type(within(dialog).getByLabelText(/^Confirm Passphrase/), 'too shorT');
    await user.click(within(dialog).getByRole('button', { name: 'Create Backup' }));

    expect(within(dialog).getByLabelText(/^Backup passphrase/)).toHaveAccessibleDescription(expect.stringContaining('Backup passphrase: at least 12 characters'));
    expect(within(dialog).getByLabelText(/^Backup passphrase/)).toHaveFocus();
    expect(within(dialog).getByLabelText(/^Confirm Passphrase/)).toHaveAccessibleDescription(expect.stringContaining('Confirm Passphrase: does not match the passphrase'));
    expect(mockBackup.createBackup).not.toHaveBeenCalled();
  });

  it('shows the backend’s refusal next to the field it names', async () => {
    mockBackup.createBackup.mockRejectedValue(backendError('invalid', 'Backup passphrase: at least 12 characters', 'passphrase'));
    const { user, dialog } = await openCreate();
    await user.type(within(dialog).getByLabelText(/^Backup file/), '/tmp/vault.hostbound-backup');
    await user.type(within(dialog).getByLabelText(/^Backup passphrase/), 'twelve chars');
    await user.type(within(dialog).getByLabelText(/^Confirm Passphrase/), 'twelve chars');
    await user.click(within(dialog).getByRole('button', { name: 'Create Backup' }));

    await waitFor(() =>
      expect(within(dialog).getByLabelText(/^Backup passphrase/)).toHaveAccessibleDescription(expect.stringContaining('Backup passphrase: at least 12 characters')),
    );
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('is not offered to an operator without Run backups', async () => {
    const { card } = await openBackup(pam);
    expect(within(card).queryByRole('button', { name: 'Create backup…' })).not.toBeInTheDocument();
    expect(within(card).queryByRole('button', { name: 'Restore from backup…' })).not.toBeInTheDocument();
    expect(within(card).getByText('Backups need a role with Run backups.')).toBeInTheDocument();
  });
});

async function openRestore() {
  const view = await openBackup();
  await view.user.click(within(view.card).getByRole('button', { name: 'Restore from backup…' }));
  const dialog = await screen.findByRole('dialog', { name: 'Restore from a backup' });
  return { ...view, dialog };
}

describe('Settings: Restore from backup', () => {
  it('warns that the current data is replaced and kept aside, asks to confirm, then shows the login screen', async () => {
    mockBackup.restoreBackup.mockResolvedValue(makeRestoreResult({ state: makeState({ phase: 'login' }) }));
    const { user, dialog } = await openRestore();

    const warning = await within(dialog).findByText(/Every user, resource, password, setting and audit record/);
    expect(warning).toBeInTheDocument();
    expect(within(dialog).getByText(`${DATA_DIR}.before-restore-<time>`)).toBeInTheDocument();
    expect(within(dialog).queryByLabelText(/^New passphrase/)).not.toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Choose…' }));
    await waitFor(() => expect(within(dialog).getByLabelText(/^Backup file/)).toHaveValue(BACKUP_FILE));
    await user.type(within(dialog).getByLabelText(/^Backup passphrase/), PASSPHRASE);
    await user.click(within(dialog).getByRole('button', { name: 'Restore Backup' }));
    // Not without the confirmation.
    expect(mockBackup.restoreBackup).not.toHaveBeenCalled();
    expect(within(dialog).getByText('Confirm that the current data is replaced')).toBeInTheDocument();

    await user.click(within(dialog).getByLabelText('Replace the current data with this backup'));
    await user.click(within(dialog).getByRole('button', { name: 'Restore Backup' }));
    expect(mockBackup.restoreBackup).toHaveBeenCalledWith({ file: BACKUP_FILE, passphrase: PASSPHRASE, newPassphrase: '' });

    expect(await screen.findByRole('heading', { name: 'Log in to Hostbound' })).toBeInTheDocument();
    expect(screen.getByText(/Restored the backup of .* \(1,234 records\)\./)).toHaveTextContent(
      `The data from before the restore is kept in ${ASIDE_DIR}. Log in with a user from the backup.`,
    );
  });

  it('shows a wrong passphrase next to the passphrase and stays on Settings', async () => {
    mockBackup.restoreBackup.mockRejectedValue(
      backendError('unauthenticated', 'Backup passphrase: wrong passphrase, or the file is not a Hostbound backup', 'passphrase'),
    );
    const { user, dialog } = await openRestore();
    await within(dialog).findByText(/Every user, resource/);
    await user.type(within(dialog).getByLabelText(/^Backup file/), BACKUP_FILE);
    await user.type(within(dialog).getByLabelText(/^Backup passphrase/), 'not the passphrase');
    await user.click(within(dialog).getByLabelText('Replace the current data with this backup'));
    await user.click(within(dialog).getByRole('button', { name: 'Restore Backup' }));

    await waitFor(() =>
      expect(within(dialog).getByLabelText(/^Backup passphrase/)).toHaveAccessibleDescription(expect.stringContaining('Backup passphrase: wrong passphrase, or the file is not a Hostbound backup')),
    );
    expect(within(dialog).getByLabelText(/^Backup passphrase/)).toHaveFocus();
    expect(screen.getByRole('navigation', { name: 'Main navigation' })).toBeInTheDocument();
  });

  it('shows a damaged file next to the file field', async () => {
    mockBackup.restoreBackup.mockRejectedValue(
      backendError('invalid', 'The backup file is damaged or has been changed; nothing was restored', 'file'),
    );
    const { user, dialog } = await openRestore();
    await within(dialog).findByText(/Every user, resource/);
    await user.type(within(dialog).getByLabelText(/^Backup file/), BACKUP_FILE);
    await user.type(within(dialog).getByLabelText(/^Backup passphrase/), PASSPHRASE);
    await user.click(within(dialog).getByLabelText('Replace the current data with this backup'));
    await user.click(within(dialog).getByRole('button', { name: 'Restore Backup' }));
    await waitFor(() =>
      expect(within(dialog).getByLabelText(/^Backup file/)).toHaveAccessibleDescription(expect.stringContaining('The backup file is damaged or has been changed; nothing was restored')),
    );
  });
});
