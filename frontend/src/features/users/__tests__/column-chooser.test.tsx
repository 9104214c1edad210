import { cleanup, screen, within } from '@testing-library/react';
import { makeUserRow } from '../../../test/fixtures';
import { mockApi, resetApiMock } from '../../../test/wailsMock';
import { COLUMNS_STORAGE_KEY } from '../api/useHiddenColumns';
import { openUsers } from './helpers';

vi.mock('../../../lib/wails');

beforeEach(() => {
  resetApiMock();
  window.localStorage.clear();
  mockApi.listUsers.mockResolvedValue({ total: 1, rows: [makeUserRow({ fullName: 'Nightly Backup', department: 'Ops' })] });
});

describe('Users column chooser', () => {
  it('shows the five main columns by default and remembers a hidden one after a remount', async () => {
    const { user } = await openUsers();
    const table = await screen.findByRole('table', { name: 'Users' });
    for (const name of ['Username', 'Full Name', 'Host Name', 'Key', 'Access Level']) {
      expect(within(table).getByRole('columnheader', { name: new RegExp(name) })).toBeInTheDocument();
    }
    expect(within(table).queryByRole('columnheader', { name: /Department/ })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: /Columns/ }));
    await user.click(await screen.findByRole('checkbox', { name: 'Full Name' }));
    await user.click(screen.getByRole('checkbox', { name: 'Department' }));
    expect(within(table).queryByRole('columnheader', { name: /Full Name/ })).not.toBeInTheDocument();
    expect(within(table).getByRole('columnheader', { name: /Department/ })).toBeInTheDocument();
    expect(JSON.parse(window.localStorage.getItem(COLUMNS_STORAGE_KEY) ?? '{}').hidden).toContain('fullName');

    cleanup();
    await openUsers();
    const again = await screen.findByRole('table', { name: 'Users' });
    expect(within(again).queryByRole('columnheader', { name: /Full Name/ })).not.toBeInTheDocument();
    expect(within(again).getByRole('columnheader', { name: /Department/ })).toBeInTheDocument();
  });
});
