import { screen, waitFor, within } from '@testing-library/react';
import { backendFieldErrors, makeUserRow } from '../../../test/fixtures';
import { mockApi, resetApiMock } from '../../../test/wailsMock';
import { openUsers } from './helpers';

vi.mock('../../../lib/wails');

beforeEach(() => {
  resetApiMock();
});

describe('Add User (operator)', () => {
  it('sends the form and shows the password errors from the backend under their fields', async () => {
    mockApi.createOperator.mockRejectedValueOnce(
      backendFieldErrors([
        { field: 'password', message: 'Password: at least 12 characters' },
        { field: 'email', message: 'Email: not a valid address' },
      ]),
    );
    const { user } = await openUsers();
    await user.click(await screen.findByRole('button', { name: 'Add User' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Add User' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add User' });

    await user.type(within(dialog).getByLabelText(/^Username/), 'carol');
    await user.type(within(dialog).getByLabelText(/^Full Name/), 'Carol Operator');
    await user.type(within(dialog).getByLabelText(/^Email/), 'carol@');
    await user.type(within(dialog).getByLabelText(/^Password( \*)?$/), 'short');
    await user.type(within(dialog).getByLabelText(/^Confirm Password/), 'short');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(mockApi.createOperator).toHaveBeenCalledWith({
      username: 'carol',
      fullName: 'Carol Operator',
      email: 'carol@',
      password: 'short',
      confirmPassword: 'short',
      role: 'password_user',
      scope: 'owned_shared',
      department: '',
      location: '',
    });
    await waitFor(() =>
      expect(within(dialog).getByLabelText(/^Password( \*)?$/)).toHaveAccessibleDescription(
        expect.stringContaining('Password: at least 12 characters'),
      ),
    );
    expect(within(dialog).getByLabelText(/^Email/)).toHaveAccessibleDescription(
      expect.stringContaining('Email: not a valid address'),
    );

    await user.clear(within(dialog).getByLabelText(/^Email/));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await screen.findByText('carol was added.')).toBeInTheDocument();
  });

  it('Edit User keeps the password when it is left empty', async () => {
    mockApi.listUsers.mockResolvedValue({
      total: 1,
      rows: [makeUserRow({ username: 'carol', kind: 'operator', host: '', keyHint: '', restEnabled: false, keyStatus: 'none' })],
    });
    mockApi.getUser.mockResolvedValue({
      ...makeUserRow({ username: 'carol', kind: 'operator', fullName: 'Carol Operator', host: '', keyHint: '' }),
      sshPublicKey: '',
      sshFingerprint: '',
      certificate: '',
      certificateSubject: '',
      certificateNotAfter: '',
      certificateFingerprint: '',
    });
    const { user } = await openUsers();
    await user.click(await screen.findByRole('button', { name: 'Actions for carol' }));
    expect(screen.queryByRole('menuitem', { name: 'Regenerate API Key' })).not.toBeInTheDocument();
    await user.click(await screen.findByRole('menuitem', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit User' });
    expect(await within(dialog).findByText('Leave empty to keep the current password.')).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/^Username/)).toHaveAttribute('readonly');

    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(mockApi.updateOperator).toHaveBeenCalledWith(
      'carol',
      expect.objectContaining({ fullName: 'Carol Operator', password: '', confirmPassword: '' }),
    );
  });

  describe('a failed Save lands on the first invalid field', () => {
    // jsdom has no scrollIntoView; the spy records which element was scrolled into the dialog's middle.
    const scrolled = vi.fn();
    beforeEach(() => {
      Element.prototype.scrollIntoView = scrolled;
      scrolled.mockClear();
    });
    afterEach(() => {
      delete (Element.prototype as Partial<Element>).scrollIntoView;
    });

    async function openAddUser() {
      const view = await openUsers();
      await view.user.click(await screen.findByRole('button', { name: 'Add User' }));
      await view.user.click(await screen.findByRole('menuitem', { name: 'Add User' }));
      const dialog = await screen.findByRole('dialog', { name: 'Add User' });
      await view.user.type(within(dialog).getByLabelText(/^Username/), 'carol');
      await view.user.type(within(dialog).getByLabelText(/^Full Name/), 'Carol Operator');
      await view.user.type(within(dialog).getByLabelText(/^Password( \*)?$/), 'correct horse battery');
      return { ...view, dialog };
    }

    it('focuses Confirm Password when the passwords differ', async () => {
      const { user, dialog } = await openAddUser();
      await user.type(within(dialog).getByLabelText(/^Confirm Password/), 'correct horse battery!');
      await user.click(within(dialog).getByRole('button', { name: 'Save' }));

      const confirm = within(dialog).getByLabelText(/^Confirm Password/);
      expect(document.activeElement).toBe(confirm);
      expect(scrolled.mock.contexts.at(-1)).toBe(confirm);
      expect(confirm).toHaveAccessibleDescription(expect.stringContaining('Confirm Password: the passwords do not match'));
      expect(mockApi.createOperator).not.toHaveBeenCalled();
    });

    it('focuses the Location, the last field, when the backend refuses it', async () => {
      mockApi.createOperator.mockRejectedValueOnce(
        backendFieldErrors([{ field: 'location', message: 'Location: at most 100 characters' }]),
      );
      const { user, dialog } = await openAddUser();
      await user.type(within(dialog).getByLabelText(/^Confirm Password/), 'correct horse battery');
      await user.click(within(dialog).getByRole('button', { name: 'Save' }));

      const location = within(dialog).getByLabelText('Location');
      await waitFor(() => expect(document.activeElement).toBe(location));
      expect(scrolled.mock.contexts.at(-1)).toBe(location);
      expect(location).toHaveAccessibleDescription(expect.stringContaining('Location: at most 100 characters'));
    });
  });
});
