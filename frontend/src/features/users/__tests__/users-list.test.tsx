import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { alice, makeUserRow, pam } from '../../../test/fixtures';
import { mockApi, resetApiMock } from '../../../test/wailsMock';
import { PAGE_SIZE } from '../api/useUserList';
import { ROW_HEIGHT } from '../components/UserTable';
import { openUsers } from './helpers';

vi.mock('../../../lib/wails');

const DAY = 24 * 60 * 60 * 1000;

beforeEach(() => {
  resetApiMock();
  // Every column shown (Kind, Department and others are hidden by default).
  window.localStorage.setItem('hostbound.users.columns', JSON.stringify({ hidden: [] }));
});

describe('Users list', () => {
  it('shows the rows and the total that ListUsers returns', async () => {
    mockApi.listUsers.mockResolvedValue({
      total: 12,
      rows: [
        makeUserRow({
          username: 'backup@web01.example.com',
          fullName: 'Nightly Backup',
          host: 'web01.example.com',
          role: 'admin',
          roleName: 'Administrator',
          scope: 'all',
          superAdmin: true,
          keyStatus: 'expiring',
          keyHint: 'hbk_AbCd',
          keyExpiresAt: new Date(Date.now() + 12 * DAY + 3_600_000).toISOString(),
        }),
        makeUserRow({
          username: 'carol',
          kind: 'operator',
          fullName: 'Carol Operator',
          host: '',
          roleName: 'Password User',
          restEnabled: false,
          keyStatus: 'none',
          keyHint: '',
          department: 'Finance',
        }),
      ],
    });
    await openUsers();

    expect(await screen.findByText('12 users')).toBeInTheDocument();
    const row = screen.getByRole('row', { name: /backup@web01\.example\.com/ });
    expect(within(row).getByText('web01.example.com')).toBeInTheDocument();
    expect(within(row).getByText('Administrator')).toBeInTheDocument();
    expect(within(row).getByText('Super Administrator')).toBeInTheDocument();
    expect(within(row).getByText('hbk_AbCd…')).toBeInTheDocument();
    expect(within(row).getByText(/expires in 12 days/)).toBeInTheDocument();
    expect(within(row).getByText('API user')).toBeInTheDocument();

    const carol = screen.getByRole('row', { name: /carol/ });
    expect(within(carol).getByText('Operator')).toBeInTheDocument();
    expect(within(carol).getByText('Finance')).toBeInTheDocument();
    expect(within(carol).queryByText('Super Administrator')).not.toBeInTheDocument();

    expect(mockApi.listUsers).toHaveBeenCalledWith(
      expect.objectContaining({ search: '', offset: 0, limit: PAGE_SIZE, sortBy: 'username', desc: false }),
    );
  });

  it('a search asks ListUsers for the search text from the first row', async () => {
    mockApi.listUsers.mockImplementation(async (q) =>
      q.search === 'web01'
        ? { total: 1, rows: [makeUserRow({ username: 'backup@web01.example.com' })] }
        : { total: 2, rows: [makeUserRow({ username: 'backup@web01.example.com' }), makeUserRow({ username: 'etl@db02' })] },
    );
    const { user } = await openUsers();
    expect(await screen.findByText('etl@db02')).toBeInTheDocument();

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'web01');

    await waitFor(() =>
      expect(mockApi.listUsers).toHaveBeenLastCalledWith(expect.objectContaining({ search: 'web01', offset: 0 })),
    );
    expect(await screen.findByText('1 user')).toBeInTheDocument();
    expect(screen.queryByText('etl@db02')).not.toBeInTheDocument();
    // Debounced: no call for the partial texts "w", "we", …
    expect(mockApi.listUsers.mock.calls.map(([q]) => q.search)).not.toContain('w');
  });

  it('filters and sorts through ListUsers', async () => {
    const { user } = await openUsers();
    await screen.findByText('0 users');

    await user.click(screen.getByRole('combobox', { name: 'Key Status' }));
    await user.click(screen.getByRole('option', { name: 'Expiring within 30 days' }));
    await waitFor(() => expect(mockApi.listUsers).toHaveBeenLastCalledWith(expect.objectContaining({ keyStatus: 'expiring' })));

    await user.click(screen.getByRole('combobox', { name: 'Kind' }));
    await user.click(screen.getByRole('option', { name: 'API users' }));
    await waitFor(() => expect(mockApi.listUsers).toHaveBeenLastCalledWith(expect.objectContaining({ kind: 'api' })));

    await user.click(screen.getByRole('button', { name: /^Host Name/ }));
    await waitFor(() =>
      expect(mockApi.listUsers).toHaveBeenLastCalledWith(expect.objectContaining({ sortBy: 'host', desc: false })),
    );
    await user.click(screen.getByRole('button', { name: /^Host Name/ }));
    await waitFor(() => expect(mockApi.listUsers).toHaveBeenLastCalledWith(expect.objectContaining({ sortBy: 'host', desc: true })));
    expect(screen.getByRole('columnheader', { name: /Host Name/ })).toHaveAttribute('aria-sort', 'descending');
  });

  it('with 100,000 users renders only the rows in view and loads pages as it scrolls', async () => {
    mockApi.listUsers.mockImplementation(async (q) => ({
      total: 100_000,
      rows: Array.from({ length: q.limit }, (_, i) => makeUserRow({ username: `api${String(q.offset + i).padStart(6, '0')}@h` })),
    }));
    await openUsers();
    expect(await screen.findByText('100,000 users')).toBeInTheDocument();
    expect(await screen.findByText('api000000@h')).toBeInTheDocument();
    expect(screen.getAllByRole('row').length).toBeLessThan(60);
    expect(mockApi.listUsers).toHaveBeenCalledTimes(1);

    const viewport = screen.getByTestId('users-viewport');
    await act(async () => {
      viewport.scrollTop = 50_000 * ROW_HEIGHT;
      fireEvent.scroll(viewport);
    });

    await waitFor(() =>
      expect(mockApi.listUsers).toHaveBeenCalledWith(expect.objectContaining({ offset: 49_800, limit: PAGE_SIZE })),
    );
    expect(await screen.findByText('api050000@h')).toBeInTheDocument();
    expect(screen.queryByText('api000000@h')).not.toBeInTheDocument();
    expect(screen.getAllByRole('row').length).toBeLessThan(60);
  });
});

describe('who sees what', () => {
  it('an operator without users.manage or apiusers.manage has no Users screen and no Add API User', async () => {
    const { App } = await import('../../../App');
    const { renderWithProviders } = await import('../../../test/render');
    const { readyState } = await import('../../../test/fixtures');
    mockApi.getAppState.mockResolvedValue(readyState(pam));
    renderWithProviders(<App />);
    const nav = await screen.findByRole('navigation', { name: 'Main navigation' });

    expect(within(nav).getByRole('button', { name: 'Home' })).toBeInTheDocument();
    expect(within(nav).queryByRole('button', { name: 'Users' })).not.toBeInTheDocument();
    expect(within(nav).queryByRole('button', { name: 'Roles' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add User' })).not.toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: 'Add API User' })).not.toBeInTheDocument();
    expect(screen.queryByText('Add API User')).not.toBeInTheDocument();
    expect(mockApi.listUsers).not.toHaveBeenCalled();
  });

  it('an operator with only apiusers.manage may add API users but not operators', async () => {
    const { user } = await openUsers({ ...pam, permissions: [...pam.permissions, 'apiusers.manage'] });
    expect(screen.queryByRole('button', { name: 'Roles' })).not.toBeInTheDocument();

    await user.click(await screen.findByRole('button', { name: 'Add User' }));
    expect(await screen.findByRole('menuitem', { name: 'Add API User' })).toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: 'Add User' })).not.toBeInTheDocument();
  });

  it('an operator with users.manage sees both entries and the Roles screen when they hold roles.manage', async () => {
    const { user } = await openUsers(alice);
    expect(screen.getByRole('button', { name: 'Roles' })).toBeInTheDocument();
    await user.click(await screen.findByRole('button', { name: 'Add User' }));
    expect(await screen.findByRole('menuitem', { name: 'Add API User' })).toBeInTheDocument();
    expect(screen.getByRole('menuitem', { name: 'Add User' })).toBeInTheDocument();
  });
});

describe('row actions', () => {
  beforeEach(() => {
    mockApi.listUsers.mockResolvedValue({ total: 1, rows: [makeUserRow({ username: 'backup@web01.example.com' })] });
  });

  it('Delete asks for confirmation naming the user', async () => {
    const { user } = await openUsers();
    await user.click(await screen.findByRole('button', { name: 'Actions for backup@web01.example.com' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Delete' }));

    const dialog = await screen.findByRole('dialog', { name: 'Delete API User' });
    expect(within(dialog).getByText('Delete backup@web01.example.com? Its API key stops working at once.')).toBeInTheDocument();
    expect(mockApi.deleteUser).not.toHaveBeenCalled();

    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(mockApi.deleteUser).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Actions for backup@web01.example.com' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Delete' }));
    const calls = mockApi.listUsers.mock.calls.length;
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete' }));

    expect(mockApi.deleteUser).toHaveBeenCalledWith('backup@web01.example.com');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await screen.findByText('backup@web01.example.com was deleted.')).toBeInTheDocument();
    await waitFor(() => expect(mockApi.listUsers.mock.calls.length).toBeGreaterThan(calls));
  });

  it('Delete shows the backend refusal in the dialog', async () => {
    mockApi.deleteUser.mockRejectedValue(
      JSON.stringify({ code: 'forbidden', field: '', message: 'You are not allowed to add API users' }),
    );
    const { user } = await openUsers();
    await user.click(await screen.findByRole('button', { name: 'Actions for backup@web01.example.com' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Delete' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete' }));

    expect(await within(screen.getByRole('dialog')).findByText('You are not allowed to add API users')).toBeInTheDocument();
  });

  it('Disable disables at once and says so', async () => {
    const { user } = await openUsers();
    await user.click(await screen.findByRole('button', { name: 'Actions for backup@web01.example.com' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Disable' }));

    expect(mockApi.setUserDisabled).toHaveBeenCalledWith('backup@web01.example.com', true);
    expect(await screen.findByRole('status')).toHaveTextContent(/backup@web01\.example\.com is disabled/);
  });

  it('Regenerate API Key asks first, then shows a different key once', async () => {
    const writeText = (await import('./helpers')).mockClipboard;
    const { user } = await openUsers();
    const clipboard = writeText();
    await user.click(await screen.findByRole('button', { name: 'Actions for backup@web01.example.com' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Regenerate API Key' }));

    const confirm = await screen.findByRole('dialog', { name: 'Regenerate API Key' });
    expect(within(confirm).getAllByLabelText('Old key keeps working for')[0]).toHaveValue('None: it stops at once');
    expect(mockApi.regenerateAPIKey).not.toHaveBeenCalled();
    await user.click(within(confirm).getByRole('button', { name: 'Regenerate' }));

    const shown = await screen.findByRole('dialog', { name: 'New API Key' });
    const newKey = 'hbk_RegeneratedKey00000000000000000000000000000zyxwv';
    expect(mockApi.regenerateAPIKey).toHaveBeenCalledWith('backup@web01.example.com', 0);
    expect(within(shown).getByLabelText('API Key')).toHaveValue(newKey);
    expect(newKey.startsWith('hbk_AbCd')).toBe(false);
    expect(within(shown).getByText(/shown only once/)).toBeInTheDocument();

    await user.click(within(shown).getByRole('button', { name: 'Copy' }));
    expect(clipboard).toHaveBeenCalledWith(newKey);

    await user.click(within(shown).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(document.body.innerHTML).not.toContain(newKey);
  });
});
