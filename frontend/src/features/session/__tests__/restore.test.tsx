import { screen, waitFor, within } from '@testing-library/react';
import { App } from '../../../App';
import { BACKUP_FILE, makeRestoreInfo, makeRestoreResult, mockBackup } from '../../../test/backupMock';
import { backendError, makeState } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { mockApi, resetApiMock } from '../../../test/wailsMock';

vi.mock('../../../lib/wails');

const PASSPHRASE = 'a long backup passphrase';
const NEW_PASSPHRASE = 'this machine passphrase';

beforeEach(() => {
  resetApiMock();
  mockBackup.getRestoreInfo.mockResolvedValue(makeRestoreInfo({ hasData: false }));
});

async function openFromSetup(keyringAvailable = true) {
  mockApi.getAppState.mockResolvedValue(makeState({ phase: 'setup', keyStorage: '', keyringAvailable }));
  const view = renderWithProviders(<App />);
  await screen.findByRole('heading', { name: 'Welcome to Hostbound' });
  await view.user.click(screen.getByRole('button', { name: 'Restore from a backup' }));
  const dialog = await screen.findByRole('dialog', { name: 'Restore from a backup' });
  return { ...view, dialog };
}

describe('first run: Restore from a backup', () => {
  it('restores instead of setting up and opens the login screen of the restored vault', async () => {
    mockBackup.restoreBackup.mockResolvedValue(makeRestoreResult({ aside: '', state: makeState({ phase: 'login' }) }));
    const { user, dialog } = await openFromSetup();
    await waitFor(() => expect(mockBackup.getRestoreInfo).toHaveBeenCalled());
    // Nothing to replace on a first run: no warning, no confirmation.
    expect(within(dialog).queryByText(/The current data is replaced/)).not.toBeInTheDocument();
    expect(within(dialog).queryByLabelText('Replace the current data with this backup')).not.toBeInTheDocument();

    await user.type(within(dialog).getByLabelText(/^Backup file/), BACKUP_FILE);
    await user.type(within(dialog).getByLabelText(/^Backup passphrase/), PASSPHRASE);
    await user.click(within(dialog).getByRole('button', { name: 'Restore Backup' }));

    expect(mockBackup.restoreBackup).toHaveBeenCalledWith({ file: BACKUP_FILE, passphrase: PASSPHRASE, newPassphrase: '' });
    expect(mockApi.createFirstAdministrator).not.toHaveBeenCalled();
    expect(await screen.findByRole('heading', { name: 'Log in to Hostbound' })).toBeInTheDocument();
    expect(screen.getByText(/Restored the backup of/)).toHaveTextContent('Log in with a user from the backup.');
  });

  it('asks for a new passphrase without an OS keyring', async () => {
    mockBackup.getRestoreInfo.mockResolvedValue(makeRestoreInfo({ hasData: false, needsNewPassphrase: true }));
    mockBackup.restoreBackup.mockResolvedValue(
      makeRestoreResult({ aside: '', state: makeState({ phase: 'login', keyStorage: 'passphrase' }) }),
    );
    const { user, dialog } = await openFromSetup(false);
    await user.type(within(dialog).getByLabelText(/^Backup file/), BACKUP_FILE);
    await user.type(within(dialog).getByLabelText(/^Backup passphrase/), PASSPHRASE);
    await user.type(await within(dialog).findByLabelText(/^New passphrase/), 'short');
    await user.click(within(dialog).getByRole('button', { name: 'Restore Backup' }));
    expect(within(dialog).getByLabelText(/^New passphrase/)).toHaveAccessibleDescription(expect.stringContaining('New passphrase: at least 12 characters (it will unlock the restored vault)'));
    expect(mockBackup.restoreBackup).not.toHaveBeenCalled();

    await user.clear(within(dialog).getByLabelText(/^New passphrase/));
    await user.type(within(dialog).getByLabelText(/^New passphrase/), NEW_PASSPHRASE);
    await user.type(within(dialog).getByLabelText(/^Confirm New Passphrase/), NEW_PASSPHRASE);
    await user.click(within(dialog).getByRole('button', { name: 'Restore Backup' }));
    expect(mockBackup.restoreBackup).toHaveBeenCalledWith({ file: BACKUP_FILE, passphrase: PASSPHRASE, newPassphrase: NEW_PASSPHRASE });
    expect(await screen.findByRole('heading', { name: 'Log in to Hostbound' })).toBeInTheDocument();
  });

  it('says a wrong passphrase next to its field and leaves the setup screen as it was', async () => {
    mockBackup.restoreBackup.mockRejectedValue(
      backendError('unauthenticated', 'Backup passphrase: wrong passphrase, or the file is not a Hostbound backup', 'passphrase'),
    );
    const { user, dialog } = await openFromSetup();
    await user.type(within(dialog).getByLabelText(/^Backup file/), BACKUP_FILE);
    await user.type(within(dialog).getByLabelText(/^Backup passphrase/), 'not the passphrase');
    await user.click(within(dialog).getByRole('button', { name: 'Restore Backup' }));
    await waitFor(() =>
      expect(within(dialog).getByLabelText(/^Backup passphrase/)).toHaveAccessibleDescription(expect.stringContaining('Backup passphrase: wrong passphrase, or the file is not a Hostbound backup')),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.getByRole('heading', { name: 'Welcome to Hostbound' })).toBeInTheDocument();
  });

  it('is offered on the unlock screen too, with the warning about the current data', async () => {
    mockApi.getAppState.mockResolvedValue(makeState({ phase: 'unlock', keyStorage: 'passphrase' }));
    mockBackup.getRestoreInfo.mockResolvedValue(makeRestoreInfo({ hasData: true, needsNewPassphrase: true }));
    const { user } = renderWithProviders(<App />);
    await screen.findByRole('heading', { name: 'Unlock Hostbound' });
    await user.click(screen.getByRole('button', { name: 'Restore from a backup' }));
    const dialog = await screen.findByRole('dialog', { name: 'Restore from a backup' });
    expect(await within(dialog).findByText(/Every user, resource, password/)).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/^New passphrase/)).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Replace the current data with this backup')).not.toBeChecked();
  });
});
