import { screen, waitFor, within } from '@testing-library/react';
import { App } from '../../../App';
import { backendError, bob, readyState } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { mockApi, resetApiMock } from '../../../test/wailsMock';

vi.mock('../../../lib/wails');

beforeEach(() => {
  resetApiMock();
});

async function openRoles(operator = readyState().operator) {
  mockApi.getAppState.mockResolvedValue(readyState(operator));
  const view = renderWithProviders(<App />);
  const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
  await view.user.click(within(nav).getByRole('button', { name: 'Roles' }));
  await screen.findByRole('heading', { name: 'Roles' });
  await screen.findByRole('cell', { name: /Backup Operators/ });
  return view;
}

describe('Roles', () => {
  it('lists the roles with Built-in badges, permission and user counts; built-in ones are read-only', async () => {
    await openRoles();
    const admin = screen.getByRole('row', { name: /^Administrator/ });
    expect(within(admin).getByText('Built-in')).toBeInTheDocument();
    expect(within(admin).getByText('11 permissions')).toBeInTheDocument();
    expect(within(admin).queryByRole('button', { name: /Actions for/ })).not.toBeInTheDocument();

    const custom = screen.getByRole('row', { name: /Backup Operators/ });
    expect(within(custom).queryByText('Built-in')).not.toBeInTheDocument();
    expect(within(custom).getByText('2 permissions')).toBeInTheDocument();
    expect(within(custom).getByRole('button', { name: 'Actions for Backup Operators' })).toBeInTheDocument();

    const user = screen.getByRole('row', { name: /Password User/ });
    expect(within(user).getByRole('cell', { name: '2' })).toBeInTheDocument();
  });

  it('Add Role creates a role with the ticked permissions', async () => {
    const { user } = await openRoles();
    await user.click(screen.getByRole('button', { name: 'Add Role' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add Role' });

    await user.type(within(dialog).getByLabelText(/^Role Name/), 'Auditors Plus');
    // Ticked out of display order: the request keeps the backend's order.
    await user.click(within(dialog).getByRole('checkbox', { name: 'View reports' }));
    await user.click(within(dialog).getByRole('checkbox', { name: 'View passwords' }));
    await user.click(within(dialog).getByRole('checkbox', { name: 'View audit trail' }));
    await user.click(within(dialog).getByRole('checkbox', { name: 'View audit trail' }));
    const rolesCalls = mockApi.listRoles.mock.calls.length;
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(mockApi.createRole).toHaveBeenCalledWith({ name: 'Auditors Plus', permissions: ['passwords.view', 'reports.view'] });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await waitFor(() => expect(mockApi.listRoles.mock.calls.length).toBeGreaterThan(rolesCalls));
    expect(screen.getByRole('status')).toHaveTextContent('The role Auditors Plus was added.');
  });

  it('shows the backend field errors of the role form', async () => {
    mockApi.createRole.mockRejectedValue(backendError('invalid', 'Role Name: a role with this name already exists', 'name'));
    const { user } = await openRoles();
    await user.click(screen.getByRole('button', { name: 'Add Role' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add Role' });
    await user.type(within(dialog).getByLabelText(/^Role Name/), 'Administrator');
    await user.click(within(dialog).getByRole('checkbox', { name: 'View passwords' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() =>
      expect(within(dialog).getByLabelText(/^Role Name/)).toHaveAccessibleDescription(
        expect.stringContaining('Role Name: a role with this name already exists'),
      ),
    );
  });

  it('offers no permission the operator does not hold', async () => {
    const { user } = await openRoles(bob);
    await user.click(screen.getByRole('button', { name: 'Add Role' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add Role' });
    expect(within(dialog).getByRole('checkbox', { name: 'Manage security settings' })).toBeDisabled();
    expect(within(dialog).getByRole('checkbox', { name: 'Run backups' })).toBeEnabled();
  });

  it('Edit saves the changed permissions of a custom role', async () => {
    const { user } = await openRoles();
    await user.click(screen.getByRole('button', { name: 'Actions for Backup Operators' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit Role' });
    expect(within(dialog).getByRole('checkbox', { name: 'Run backups' })).toBeChecked();
    await user.click(within(dialog).getByRole('checkbox', { name: 'View reports' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(mockApi.updateRole).toHaveBeenCalledWith('custom-1', {
      name: 'Backup Operators',
      permissions: ['passwords.view', 'reports.view', 'backup.run'],
    });
  });

  it('deleting a role in use shows the backend message', async () => {
    mockApi.deleteRole.mockRejectedValue(
      backendError('conflict', 'The role Backup Operators is held by 2 users; give them another role first'),
    );
    const { user } = await openRoles();
    await user.click(screen.getByRole('button', { name: 'Actions for Backup Operators' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete Role' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));

    expect(mockApi.deleteRole).toHaveBeenCalledWith('custom-1');
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'The role Backup Operators is held by 2 users; give them another role first',
    );
  });
});
