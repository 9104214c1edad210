import { screen, waitFor, within } from '@testing-library/react';
import { backendFieldErrors, makeUserRow } from '../../../test/fixtures';
import { makeAffectedRow, mockKillSwitch } from '../../../test/killSwitchMock';
import { mockApi, resetApiMock } from '../../../test/wailsMock';
import { openUsers } from './helpers';

vi.mock('../../../lib/wails');

beforeEach(() => {
  resetApiMock();
});

type User = Awaited<ReturnType<typeof openUsers>>['user'];

async function openRevoke(user: User) {
  await user.click(await screen.findByRole('button', { name: 'Revoke keys…' }));
  return screen.findByRole('dialog', { name: 'Revoke keys' });
}

describe('Revoke keys', () => {
  it('revokes a department after a preview, with a required reason', async () => {
    mockKillSwitch.previewRevocation.mockResolvedValue({
      total: 3,
      revoke: 2,
      notYours: 1,
      alreadyRevoked: 0,
      rows: [
        makeAffectedRow({ username: 'pay1@web01', host: '10.0.0.1', department: 'Payments' }),
        makeAffectedRow({ username: 'pay2@web02', host: '10.0.0.2', department: 'Payments' }),
        makeAffectedRow({ username: 'vault@web03', host: '10.0.0.3', department: 'Payments', status: 'not yours to revoke' }),
      ],
    });
    mockKillSwitch.revokeAccess.mockResolvedValue({ revoked: 2, notYours: 1, alreadyRevoked: 0, batches: 1 });
    const { user } = await openUsers();
    const dialog = await openRevoke(user);

    // Nothing is revoked before a preview.
    expect(within(dialog).getByRole('button', { name: 'Revoke keys' })).toBeDisabled();

    await user.click(within(dialog).getByRole('radio', { name: 'Department' }));
    await user.type(within(dialog).getByRole('textbox', { name: 'Department' }), 'Payments');
    await user.click(within(dialog).getByRole('button', { name: 'Preview' }));

    expect(mockKillSwitch.previewRevocation).toHaveBeenCalledWith(
      expect.objectContaining({ by: 'department', value: 'Payments' }),
      0,
      50,
    );
    expect(
      await within(dialog).findByText('3 API users selected: 2 will be revoked (skipped: 1 not yours to revoke).'),
    ).toBeInTheDocument();
    const table = within(dialog).getByRole('table', { name: 'Affected API users' });
    expect(within(table).getByText('pay1@web01')).toBeInTheDocument();
    const theirs = within(table).getByText('vault@web03').closest('tr') as HTMLElement;
    expect(within(theirs).getByText('not yours to revoke')).toBeInTheDocument();

    // The reason is required.
    const revoke = within(dialog).getByRole('button', { name: 'Revoke keys of 2 API users' });
    await user.click(revoke);
    expect(await within(dialog).findByText('Reason: required')).toBeInTheDocument();
    expect(mockKillSwitch.revokeAccess).not.toHaveBeenCalled();

    await user.type(within(dialog).getByLabelText(/^Reason/), 'Payments image leaked (INC-42)');
    await user.click(revoke);

    expect(mockKillSwitch.revokeAccess).toHaveBeenCalledWith(
      expect.objectContaining({ by: 'department', value: 'Payments' }),
      'Payments image leaked (INC-42)',
    );
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Revoke keys' })).not.toBeInTheDocument());
    const notice = (await screen.findByText('Keys revoked')).closest('[role="status"]');
    expect(notice).toHaveTextContent('Access of 2 API users revoked (1 not yours to revoke and 0 already revoked were skipped)');
  });

  it('needs a new preview when the selection changes, and shows the backend field errors', async () => {
    mockKillSwitch.previewRevocation
      .mockResolvedValueOnce({ total: 1, revoke: 1, notYours: 0, alreadyRevoked: 0, rows: [makeAffectedRow()] })
      .mockRejectedValueOnce(
        backendFieldErrors([{ field: 'value', message: 'CIDR: not a CIDR block such as 10.0.0.0/24' }]),
      );
    const { user } = await openUsers();
    const dialog = await openRevoke(user);
    await user.type(within(dialog).getByRole('textbox', { name: 'Host Name' }), 'web01.example.com');
    await user.click(within(dialog).getByRole('button', { name: 'Preview' }));
    expect(await within(dialog).findByRole('button', { name: 'Revoke keys of 1 API user' })).toBeEnabled();

    await user.click(within(dialog).getByRole('radio', { name: 'CIDR' }));
    expect(within(dialog).getByRole('button', { name: 'Revoke keys' })).toBeDisabled();
    await user.type(within(dialog).getByRole('textbox', { name: 'CIDR' }), '10.0.0.5');
    await user.click(within(dialog).getByRole('button', { name: 'Preview' }));
    expect(await within(dialog).findByText('CIDR: not a CIDR block such as 10.0.0.0/24')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Revoke keys' })).toBeDisabled();
  });

  it('selects by the Users list search and filters', async () => {
    const { user } = await openUsers();
    const dialog = await openRevoke(user);
    await user.click(within(dialog).getByRole('radio', { name: 'Search' }));
    await user.type(within(dialog).getByRole('textbox', { name: 'Search' }), 'web0');
    await user.click(within(dialog).getByRole('button', { name: 'Preview' }));
    expect(mockKillSwitch.previewRevocation).toHaveBeenCalledWith(
      expect.objectContaining({ by: 'search', value: '', query: expect.objectContaining({ search: 'web0', kind: 'api' }) }),
      0,
      50,
    );
    expect(await within(dialog).findByText('No API user matches this selection.')).toBeInTheDocument();
  });
});

describe('Restore access', () => {
  it('restores a revoked API user from Edit API User', async () => {
    mockApi.listUsers.mockResolvedValue({ total: 1, rows: [makeUserRow({ username: 'backup@web01.example.com' })] });
    mockKillSwitch.getRevocation.mockResolvedValue({
      revoked: true,
      at: '2026-03-01T12:00:00Z',
      by: 'alice',
      reason: 'host compromised',
    });
    const { user } = await openUsers();
    await user.click(await screen.findByRole('button', { name: 'Actions for backup@web01.example.com' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit API User' });

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Access revoked');
    expect(alert).toHaveTextContent(/Revoked by alice on .*: host compromised/);
    expect(mockKillSwitch.getRevocation).toHaveBeenCalledWith('backup@web01.example.com');

    await user.click(within(alert).getByRole('button', { name: 'Restore access' }));
    expect(mockKillSwitch.restoreAccess).toHaveBeenCalledWith('backup@web01.example.com');
    expect(await within(dialog).findByText('Access restored')).toBeInTheDocument();
    expect(within(dialog).queryByRole('button', { name: 'Restore access' })).not.toBeInTheDocument();
  });

  it('shows nothing for a user whose access is not revoked', async () => {
    mockApi.listUsers.mockResolvedValue({ total: 1, rows: [makeUserRow({ username: 'backup@web01.example.com' })] });
    const { user } = await openUsers();
    await user.click(await screen.findByRole('button', { name: 'Actions for backup@web01.example.com' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit API User' });
    await within(dialog).findByLabelText(/^Username/);
    await waitFor(() => expect(mockKillSwitch.getRevocation).toHaveBeenCalled());
    expect(within(dialog).queryByRole('button', { name: 'Restore access' })).not.toBeInTheDocument();
  });
});
