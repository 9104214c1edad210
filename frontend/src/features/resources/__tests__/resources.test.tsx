import { screen, waitFor, within } from '@testing-library/react';
import { App } from '../../../App';
import type { Operator } from '../../../lib/wails';
import { alice, backendError, backendFieldErrors, makeUserRow, readyState } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { makeAccount, makeDetail, makeResource, mockVault } from '../../../test/vaultMock';
import { mockApi, resetApiMock } from '../../../test/wailsMock';
import { mockClipboard } from '../../users/__tests__/helpers';

vi.mock('../../../lib/wails');

const db01 = makeResource();
const web01 = makeResource({
  id: '170800',
  name: 'web01',
  dnsName: '10.0.0.8',
  type: 'Windows',
  description: '',
  owner: 'bob',
  accounts: 2,
  department: 'Sales',
  location: 'Lisbon',
});

beforeEach(() => {
  resetApiMock();
  mockVault.listResources.mockResolvedValue([web01, db01]);
  mockVault.getResource.mockResolvedValue(makeDetail());
});

async function openResources(operator: Operator = alice) {
  mockApi.getAppState.mockResolvedValue(readyState(operator));
  const view = renderWithProviders(<App />);
  const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
  await view.user.click(within(nav).getByRole('button', { name: 'Resources' }));
  await screen.findByRole('heading', { name: 'Resources' });
  return view;
}

/** Opens db01's detail view and returns the row of its account root. */
async function openDb01(user: Awaited<ReturnType<typeof openResources>>['user']) {
  await user.click(await screen.findByRole('button', { name: 'db01' }));
  await screen.findByRole('heading', { name: 'db01' });
  const accounts = await screen.findByRole('table', { name: 'Accounts' });
  return within(accounts).getByRole('row', { name: /root/ });
}

function resourceRows() {
  const table = screen.getByRole('table', { name: 'Resources' });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
}

describe('Resources list', () => {
  it('lists the resources by name with their columns and filters them by the search box', async () => {
    const { user } = await openResources();
    const table = await screen.findByRole('table', { name: 'Resources' });
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'Resource Name',
      'DNS Name / IP Address',
      'Type',
      'Owner',
      'Accounts',
      'Department',
      'Location',
    ]);
    expect(resourceRows()).toEqual([
      ['db01', 'db01.example.com', 'Linux', 'alice', '1', 'Operations', 'Berlin'],
      ['web01', '10.0.0.8', 'Windows', 'bob', '2', 'Sales', 'Lisbon'],
    ]);
    expect(screen.getByText('2 resources')).toBeInTheDocument();

    await user.type(screen.getByLabelText('Search'), 'lisbon');
    expect(resourceRows().map((r) => r[0])).toEqual(['web01']);

    await user.clear(screen.getByLabelText('Search'));
    await user.type(screen.getByLabelText('Search'), 'DB01.EXAMPLE');
    expect(resourceRows().map((r) => r[0])).toEqual(['db01']);

    await user.type(screen.getByLabelText('Search'), 'nothing');
    expect(screen.getByText('No resource matches the search.')).toBeInTheDocument();
  });

  it('keeps long names in their columns, whole in a tooltip', async () => {
    const long = makeResource({
      id: '170900',
      name: 'reporting-warehouse-primary-replica-eu-west-1',
      dnsName: 'reporting-warehouse-primary-replica.eu-west-1.internal.example.com',
      department: 'Finance and Controlling Department',
    });
    mockVault.listResources.mockResolvedValue([long]);
    await openResources();
    const table = await screen.findByRole('table', { name: 'Resources' });
    const row = within(table).getAllByRole('row')[1];
    const cell = (text: string) => within(row).getByText(text).closest('td');
    expect(cell('reporting-warehouse-primary-replica-eu-west-1')).toHaveAttribute('title', long.name);
    expect(cell(long.dnsName)).toHaveAttribute('title', long.dnsName);
    expect(cell(long.department)).toHaveAttribute('title', long.department);
  });

  it('hides Add Resource from an operator without resources.create', async () => {
    await openResources({ ...alice, permissions: ['passwords.view'] });
    await screen.findByRole('button', { name: 'db01' });
    expect(screen.queryByRole('button', { name: 'Add Resource' })).not.toBeInTheDocument();
  });

  it('Add Resource sends every field and shows the backend error under Resource Name', async () => {
    mockVault.createResource.mockRejectedValueOnce(
      backendFieldErrors([{ field: 'name', message: 'Resource Name: a resource with this name already exists' }], 'conflict'),
    );
    const { user } = await openResources();
    await user.click(screen.getByRole('button', { name: 'Add Resource' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add Resource' });

    await user.type(within(dialog).getByLabelText(/^Resource Name/), 'db01');
    await user.type(within(dialog).getByLabelText('DNS Name / IP Address'), '10.0.0.5');
    await user.type(within(dialog).getByRole('combobox', { name: 'Resource Type' }), 'PostgreSQL');
    await user.type(within(dialog).getByLabelText('Description'), 'Replica');
    await user.type(within(dialog).getByLabelText('Department'), 'Operations');
    await user.type(within(dialog).getByLabelText('Location'), 'Berlin');
    await user.type(within(dialog).getByLabelText('Resource URL'), 'https://db02.example.com');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(mockVault.createResource).toHaveBeenCalledWith({
      name: 'db01',
      dnsName: '10.0.0.5',
      type: 'PostgreSQL',
      description: 'Replica',
      department: 'Operations',
      location: 'Berlin',
      url: 'https://db02.example.com',
      owner: '',
    });
    await waitFor(() =>
      expect(within(dialog).getByLabelText(/^Resource Name/)).toHaveAccessibleDescription(
        'Resource Name: a resource with this name already exists',
      ),
    );

    await user.clear(within(dialog).getByLabelText(/^Resource Name/));
    await user.type(within(dialog).getByLabelText(/^Resource Name/), 'db02');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(mockVault.createResource).toHaveBeenLastCalledWith(expect.objectContaining({ name: 'db02' }));
    expect(await screen.findByText('db02 was added.')).toBeInTheDocument();
    expect(mockVault.listResources).toHaveBeenCalledTimes(2);
  });
});

describe('Resource detail', () => {
  it('shows the resource fields and a masked password', async () => {
    const { user } = await openResources();
    const row = await openDb01(user);
    expect(mockVault.getResource).toHaveBeenCalledWith('170741');
    expect(screen.getByRole('rowheader', { name: 'DNS Name / IP Address' }).nextElementSibling).toHaveTextContent('db01.example.com');
    expect(screen.getByRole('rowheader', { name: 'Owner' }).nextElementSibling).toHaveTextContent('alice');
    expect(within(row).getByText('••••••••')).toBeInTheDocument();
    expect(within(row).getByText('break glass')).toBeInTheDocument();
    expect(mockVault.revealPassword).not.toHaveBeenCalled();
  });

  it('Show reveals the password with purpose reveal and Hide masks it again', async () => {
    const { user } = await openResources();
    const row = await openDb01(user);

    await user.click(within(row).getByRole('button', { name: 'Show' }));

    expect(mockVault.revealPassword).toHaveBeenCalledWith('170741', '170742', 'reveal', '', '');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(await within(row).findByText('S3cret!pass')).toBeInTheDocument();
    expect(within(row).queryByText('••••••••')).not.toBeInTheDocument();

    await user.click(within(row).getByRole('button', { name: 'Hide' }));
    expect(within(row).queryByText('S3cret!pass')).not.toBeInTheDocument();
    expect(within(row).getByText('••••••••')).toBeInTheDocument();
    expect(within(row).getByRole('button', { name: 'Show' })).toBeInTheDocument();
  });

  it('Show explains a refusal from the backend', async () => {
    mockVault.revealPassword.mockRejectedValueOnce(backendError('forbidden', 'This account is shared with you for viewing only'));
    const { user } = await openResources();
    const row = await openDb01(user);
    await user.click(within(row).getByRole('button', { name: 'Show' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('This account is shared with you for viewing only');
    expect(within(row).getByText('••••••••')).toBeInTheDocument();
  });

  it('Copy fetches the password with purpose copy and writes it to the clipboard without showing it', async () => {
    const { user } = await openResources();
    const writeText = mockClipboard();
    const row = await openDb01(user);

    await user.click(within(row).getByRole('button', { name: 'Copy' }));

    expect(mockVault.revealPassword).toHaveBeenCalledWith('170741', '170742', 'copy', '', '');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await waitFor(() => expect(writeText).toHaveBeenCalledWith('S3cret!pass'));
    expect(await within(row).findByRole('button', { name: 'Copied' })).toBeInTheDocument();
    expect(within(row).queryByText('S3cret!pass')).not.toBeInTheDocument();
  });

  it('Add Account sends the account and reloads the resource', async () => {
    const { user } = await openResources();
    await openDb01(user);
    mockVault.getResource.mockResolvedValue(
      makeDetail({ accounts: [makeAccount(), makeAccount({ id: '200002', name: 'postgres', notes: 'app' })] }),
    );

    await user.click(screen.getByRole('button', { name: 'Add Account' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add Account to db01' });
    await user.type(within(dialog).getByLabelText(/^Account Name/), 'postgres');
    await user.type(within(dialog).getByLabelText(/^Password(?! Policy)/), 'pg-pass-1');
    await user.type(within(dialog).getByLabelText('Notes'), 'app');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(mockVault.createAccount).toHaveBeenCalledWith('170741', {
      accountName: 'postgres',
      password: 'pg-pass-1',
      notes: 'app',
      reasonRequired: false,
      ticketRequired: false,
      ticketMandatory: false,
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await screen.findByText('postgres was added.')).toBeInTheDocument();
    const accounts = screen.getByRole('table', { name: 'Accounts' });
    expect(await within(accounts).findByRole('row', { name: /postgres/ })).toBeInTheDocument();
    expect(mockVault.getResource).toHaveBeenCalledTimes(2);
  });

  it('Add Account saves what a retrieval must give: mandatory ticket ID checks and locks Ask for a ticket ID', async () => {
    const { user } = await openResources();
    await openDb01(user);
    mockVault.getResource.mockResolvedValue(
      makeDetail({
        accounts: [
          makeAccount(),
          makeAccount({ id: '200002', name: 'postgres', notes: '', reasonRequired: true, ticketRequired: true, ticketMandatory: true }),
        ],
      }),
    );

    await user.click(screen.getByRole('button', { name: 'Add Account' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add Account to db01' });
    const reason = within(dialog).getByRole('checkbox', { name: 'Require a reason to retrieve the password' });
    const ask = within(dialog).getByRole('checkbox', { name: 'Ask for a ticket ID' });
    const mandatory = within(dialog).getByRole('checkbox', { name: 'Ticket ID is mandatory' });
    for (const box of [reason, ask, mandatory]) expect(box).not.toBeChecked();

    await user.type(within(dialog).getByLabelText(/^Account Name/), 'postgres');
    await user.type(within(dialog).getByLabelText(/^Password(?! Policy)/), 'pg-pass-1');
    await user.click(reason);
    await user.click(mandatory);
    expect(ask).toBeChecked();
    expect(ask).toBeDisabled();
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(mockVault.createAccount).toHaveBeenCalledWith('170741', {
      accountName: 'postgres',
      password: 'pg-pass-1',
      notes: '',
      reasonRequired: true,
      ticketRequired: true,
      ticketMandatory: true,
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const accounts = screen.getByRole('table', { name: 'Accounts' });
    const row = await within(accounts).findByRole('row', { name: /postgres/ });
    expect(within(row).getByText('Reason required')).toBeInTheDocument();
    expect(within(row).getByText('Ticket ID required')).toBeInTheDocument();
    const root = within(accounts).getByRole('row', { name: /root/ });
    expect(within(root).queryByText('Reason required')).not.toBeInTheDocument();
  });

  it('Edit Account loads what a retrieval must give and saves the change', async () => {
    mockVault.getResource.mockResolvedValue(makeDetail({ accounts: [makeAccount({ reasonRequired: true, ticketRequired: true })] }));
    const { user } = await openResources();
    const row = await openDb01(user);
    expect(within(row).getByText('Reason required')).toBeInTheDocument();
    expect(within(row).getByText('Asks for a ticket ID')).toBeInTheDocument();

    await user.click(within(row).getByRole('button', { name: 'Edit account root' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit Account of db01' });
    const reason = within(dialog).getByRole('checkbox', { name: 'Require a reason to retrieve the password' });
    const ask = within(dialog).getByRole('checkbox', { name: 'Ask for a ticket ID' });
    const mandatory = within(dialog).getByRole('checkbox', { name: 'Ticket ID is mandatory' });
    expect(reason).toBeChecked();
    expect(ask).toBeChecked();
    expect(ask).toBeEnabled();
    expect(mandatory).not.toBeChecked();

    await user.click(reason);
    await user.click(ask);
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(mockVault.updateAccount).toHaveBeenCalledWith('170741', '170742', {
      accountName: 'root',
      password: '',
      notes: 'break glass',
      reasonRequired: false,
      ticketRequired: false,
      ticketMandatory: false,
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('Share sends the whole resource with view permission to the chosen user', async () => {
    mockApi.listUsers.mockImplementation(async (q) => ({
      total: 2,
      rows: [
        makeUserRow({ username: 'bob', kind: 'operator', fullName: 'Bob Admin' }),
        makeUserRow({ username: 'backup@web01.example.com', fullName: 'Nightly Backup' }),
      ].filter((u) => u.username.includes(q.search) || u.fullName.toLowerCase().includes(q.search.toLowerCase())),
    }));
    const { user } = await openResources();
    await openDb01(user);
    mockVault.getResource.mockResolvedValue(makeDetail({ shares: [{ grantee: 'bob', accountId: '', permission: 'view' }] }));

    await user.click(screen.getByRole('button', { name: 'Share' }));
    const dialog = await screen.findByRole('dialog', { name: 'Share db01' });
    expect(within(dialog).getByRole('combobox', { name: /^Account/ })).toHaveValue('All accounts');
    expect(within(dialog).getByRole('radio', { name: 'View' })).toBeChecked();

    await user.type(within(dialog).getByRole('combobox', { name: /^Share with/ }), 'bob');
    await waitFor(() => expect(mockApi.listUsers).toHaveBeenLastCalledWith(expect.objectContaining({ search: 'bob', limit: 50 })));
    await user.click(await screen.findByRole('option', { name: 'bob (Bob Admin)' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(mockVault.shareResource).toHaveBeenCalledWith({ resourceId: '170741', accountId: '', grantee: 'bob', permission: 'view' });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const shares = await screen.findByRole('table', { name: 'Shares' });
    const row = within(shares).getByRole('row', { name: /bob/ });
    expect(row).toHaveTextContent('Whole resource');
    expect(row).toHaveTextContent('View');

    await user.click(within(row).getByRole('button', { name: 'Remove share with bob' }));
    expect(mockVault.unshareResource).toHaveBeenCalledWith({ resourceId: '170741', accountId: '', grantee: 'bob', permission: 'view' });
  });

  it('Share shows a backend error under Share with', async () => {
    mockVault.shareResource.mockRejectedValueOnce(backendError('invalid', 'Share with: no user named ghost', 'grantee'));
    mockApi.listUsers.mockResolvedValue({ total: 1, rows: [makeUserRow({ username: 'ghost', fullName: '' })] });
    const { user } = await openResources();
    await openDb01(user);
    await user.click(screen.getByRole('button', { name: 'Share' }));
    const dialog = await screen.findByRole('dialog', { name: 'Share db01' });
    await user.click(within(dialog).getByRole('combobox', { name: /^Share with/ }));
    await user.click(await screen.findByRole('option', { name: /^ghost/ }));
    await user.click(within(dialog).getByRole('combobox', { name: /^Account/ }));
    await user.click(await screen.findByRole('option', { name: 'root' }));
    await user.click(within(dialog).getByRole('radio', { name: 'Modify' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(mockVault.shareResource).toHaveBeenCalledWith({ resourceId: '170741', accountId: '170742', grantee: 'ghost', permission: 'modify' });
    await waitFor(() =>
      expect(within(dialog).getByRole('combobox', { name: /^Share with/ })).toHaveAccessibleDescription('Share with: no user named ghost'),
    );
  });

  it('Delete asks for confirmation naming the resource and shows a refusal', async () => {
    mockVault.deleteResource.mockRejectedValueOnce(backendError('forbidden', 'You are not allowed to change the resource db01'));
    const { user } = await openResources();
    await openDb01(user);

    await user.click(screen.getByRole('button', { name: 'Delete' }));
    let dialog = await screen.findByRole('dialog', { name: 'Delete Resource' });
    expect(within(dialog).getByText('Delete db01 and its accounts?')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(mockVault.deleteResource).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Delete' }));
    dialog = await screen.findByRole('dialog', { name: 'Delete Resource' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('You are not allowed to change the resource db01');

    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(mockVault.deleteResource).toHaveBeenCalledTimes(2));
    expect(mockVault.deleteResource).toHaveBeenCalledWith('170741');
    expect(await screen.findByText('db01 was deleted.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Resources' })).toBeInTheDocument();
  });

  it('offers no Edit, Delete, Add Account or Share without those permissions', async () => {
    const { user } = await openResources({ ...alice, permissions: ['passwords.view'] });
    const row = await openDb01(user);
    expect(within(row).getByRole('button', { name: 'Show' })).toBeInTheDocument();
    for (const name of ['Edit', 'Delete', 'Add Account', 'Share']) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    }
  });
});

describe('Password retrieval with a reason or ticket ID', () => {
  it('asks for the Reason first and passes it to the backend; without one it asks again', async () => {
    mockVault.getResource.mockResolvedValue(makeDetail({ accounts: [makeAccount({ reasonRequired: true })] }));
    const { user } = await openResources();
    const row = await openDb01(user);

    await user.click(within(row).getByRole('button', { name: 'Show' }));
    const dialog = await screen.findByRole('dialog', { name: 'Retrieve the password of root' });
    expect(within(dialog).queryByLabelText(/^Ticket ID/)).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Show Password' }));
    expect(within(dialog).getByLabelText(/^Reason/)).toHaveAccessibleDescription('Reason: required');
    expect(within(dialog).getByLabelText(/^Reason/)).toHaveFocus();
    expect(mockVault.revealPassword).not.toHaveBeenCalled();

    await user.type(within(dialog).getByLabelText(/^Reason/), 'Restore after INC-42');
    await user.click(within(dialog).getByRole('button', { name: 'Show Password' }));

    expect(mockVault.revealPassword).toHaveBeenCalledWith('170741', '170742', 'reveal', 'Restore after INC-42', '');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await within(row).findByText('S3cret!pass')).toBeInTheDocument();
  });

  it('Cancel fetches nothing and leaves the password masked', async () => {
    mockVault.getResource.mockResolvedValue(makeDetail({ accounts: [makeAccount({ reasonRequired: true })] }));
    const { user } = await openResources();
    const writeText = mockClipboard();
    const row = await openDb01(user);

    await user.click(within(row).getByRole('button', { name: 'Copy' }));
    const dialog = await screen.findByRole('dialog', { name: 'Retrieve the password of root' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(mockVault.revealPassword).not.toHaveBeenCalled();
    expect(writeText).not.toHaveBeenCalled();
    expect(within(row).getByText('••••••••')).toBeInTheDocument();
    expect(await within(row).findByRole('button', { name: 'Copy' })).toBeEnabled();
  });

  it('Copy asks for an optional Ticket ID, which may be left blank', async () => {
    mockVault.getResource.mockResolvedValue(makeDetail({ accounts: [makeAccount({ ticketRequired: true })] }));
    const { user } = await openResources();
    const writeText = mockClipboard();
    const row = await openDb01(user);

    await user.click(within(row).getByRole('button', { name: 'Copy' }));
    const dialog = await screen.findByRole('dialog', { name: 'Retrieve the password of root' });
    expect(within(dialog).queryByLabelText(/^Reason/)).not.toBeInTheDocument();
    expect(within(dialog).getByLabelText('Ticket ID')).not.toBeRequired();
    await user.click(within(dialog).getByRole('button', { name: 'Copy Password' }));

    expect(mockVault.revealPassword).toHaveBeenCalledWith('170741', '170742', 'copy', '', '');
    await waitFor(() => expect(writeText).toHaveBeenCalledWith('S3cret!pass'));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await within(row).findByRole('button', { name: 'Copied' })).toBeInTheDocument();
  });

  it('a mandatory Ticket ID is required, and a refusal of the backend shows under the field it names', async () => {
    mockVault.getResource.mockResolvedValue(
      makeDetail({ accounts: [makeAccount({ reasonRequired: true, ticketRequired: true, ticketMandatory: true })] }),
    );
    mockVault.revealPassword.mockRejectedValueOnce(
      backendError('invalid', 'A ticket ID is required to retrieve the password of this account', 'ticketId'),
    );
    const { user } = await openResources();
    const row = await openDb01(user);

    await user.click(within(row).getByRole('button', { name: 'Show' }));
    const dialog = await screen.findByRole('dialog', { name: 'Retrieve the password of root' });
    await user.type(within(dialog).getByLabelText(/^Reason/), 'Audit check');
    await user.click(within(dialog).getByRole('button', { name: 'Show Password' }));
    expect(within(dialog).getByLabelText(/^Ticket ID/)).toHaveAccessibleDescription('Ticket ID: required');
    expect(mockVault.revealPassword).not.toHaveBeenCalled();

    await user.type(within(dialog).getByLabelText(/^Ticket ID/), '   ');
    await user.click(within(dialog).getByRole('button', { name: 'Show Password' }));
    expect(within(dialog).getByLabelText(/^Ticket ID/)).toHaveAccessibleDescription('Ticket ID: required');

    await user.type(within(dialog).getByLabelText(/^Ticket ID/), 'CHG-7');
    await user.click(within(dialog).getByRole('button', { name: 'Show Password' }));
    expect(mockVault.revealPassword).toHaveBeenCalledWith('170741', '170742', 'reveal', 'Audit check', 'CHG-7');
    await waitFor(() =>
      expect(within(dialog).getByLabelText(/^Ticket ID/)).toHaveAccessibleDescription(
        'A ticket ID is required to retrieve the password of this account',
      ),
    );
    expect(within(row).getByText('••••••••')).toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Show Password' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await within(row).findByText('S3cret!pass')).toBeInTheDocument();
  });

  it('an account that came to require a reason since the list was loaded asks for it, with the refusal under Reason', async () => {
    mockVault.revealPassword.mockRejectedValueOnce(
      backendError('invalid', 'A reason is required to retrieve the password of this account', 'reason'),
    );
    const { user } = await openResources();
    const row = await openDb01(user);

    await user.click(within(row).getByRole('button', { name: 'Show' }));
    expect(mockVault.revealPassword).toHaveBeenCalledWith('170741', '170742', 'reveal', '', '');
    const dialog = await screen.findByRole('dialog', { name: 'Retrieve the password of root' });
    expect(within(dialog).getByLabelText(/^Reason/)).toHaveAccessibleDescription(
      'A reason is required to retrieve the password of this account',
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    await user.type(within(dialog).getByLabelText(/^Reason/), 'On call');
    await user.click(within(dialog).getByRole('button', { name: 'Show Password' }));
    expect(mockVault.revealPassword).toHaveBeenLastCalledWith('170741', '170742', 'reveal', 'On call', '');
    expect(await within(row).findByText('S3cret!pass')).toBeInTheDocument();
  });
});
