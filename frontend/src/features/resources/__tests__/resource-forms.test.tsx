// The Add / Edit Resource form's types and Owner, and the account form's
// Generate: the app's twins of the REST API's resource types, owner and
// password generation.
import { screen, waitFor, within } from '@testing-library/react';
import { App } from '../../../App';
import type { Operator } from '../../../lib/wails';
import { alice, backendError, bob, readyState } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { generatedPassword, makeDetail, makeResource, mockVault } from '../../../test/vaultMock';
import { mockApi, resetApiMock } from '../../../test/wailsMock';
import { mockClipboard } from '../../users/__tests__/helpers';

vi.mock('../../../lib/wails');

const db01 = makeResource();

beforeEach(() => {
  resetApiMock();
  mockVault.listResources.mockResolvedValue([db01]);
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

async function openAddResource(operator: Operator = alice) {
  const view = await openResources(operator);
  await view.user.click(await screen.findByRole('button', { name: 'Add Resource' }));
  const dialog = await screen.findByRole('dialog', { name: 'Add Resource' });
  return { ...view, dialog };
}

async function openEditDb01(operator: Operator = alice) {
  const view = await openResources(operator);
  await view.user.click(await screen.findByRole('button', { name: 'db01' }));
  await screen.findByRole('heading', { name: 'db01' });
  await view.user.click(screen.getByRole('button', { name: 'Edit' }));
  const dialog = await screen.findByRole('dialog', { name: 'Edit Resource' });
  return { ...view, dialog };
}

async function openAddAccount() {
  const view = await openResources();
  await view.user.click(await screen.findByRole('button', { name: 'db01' }));
  await screen.findByRole('heading', { name: 'db01' });
  await view.user.click(screen.getByRole('button', { name: 'Add Account' }));
  const dialog = await screen.findByRole('dialog', { name: 'Add Account to db01' });
  return { ...view, dialog };
}

describe('Resource Type', () => {
  it('suggests the types the backend offers, not a list of the app', async () => {
    const { user, dialog } = await openAddResource();
    expect(mockVault.resourceTypes).toHaveBeenCalled();
    await user.click(within(dialog).getByRole('combobox', { name: 'Resource Type' }));
    const options = await screen.findAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['File Store', 'Kafka Cluster', 'Linux', 'PostgreSQL', 'Windows']);

    await user.click(screen.getByRole('option', { name: 'Kafka Cluster' }));
    await user.type(within(dialog).getByLabelText(/^Resource Name/), 'kafka01');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(mockVault.createResource).toHaveBeenCalledWith(expect.objectContaining({ name: 'kafka01', type: 'Kafka Cluster' }));
  });

  it('takes any text when the types fail to load', async () => {
    mockVault.resourceTypes.mockRejectedValue(backendError('internal', 'internal error'));
    const { user, dialog } = await openAddResource();
    await waitFor(() => expect(mockVault.resourceTypes).toHaveBeenCalled());
    await user.type(within(dialog).getByLabelText(/^Resource Name/), 'mainframe');
    await user.type(within(dialog).getByRole('combobox', { name: 'Resource Type' }), 'z/OS');
    expect(screen.queryByRole('option')).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(mockVault.createResource).toHaveBeenCalledWith(expect.objectContaining({ name: 'mainframe', type: 'z/OS' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });
});

describe('Owner', () => {
  it('a Super Administrator gives a new resource to a user by username', async () => {
    const { user, dialog } = await openAddResource(alice);
    const owner = within(dialog).getByLabelText('Owner');
    expect(owner).toHaveAttribute('placeholder', 'alice');
    await user.type(within(dialog).getByLabelText(/^Resource Name/), 'db02');
    await user.type(owner, ' pat ');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(mockVault.createResource).toHaveBeenCalledWith(expect.objectContaining({ name: 'db02', owner: 'pat' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('shows the backend refusal under Owner and focuses it', async () => {
    mockVault.updateResource.mockRejectedValueOnce(backendError('invalid', 'Owner: no user named nobody', 'owner'));
    const { user, dialog } = await openEditDb01(alice);
    const owner = within(dialog).getByLabelText('Owner');
    expect(owner).toHaveValue('');
    expect(owner).toHaveAttribute('placeholder', 'alice');
    await user.type(owner, 'nobody');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(mockVault.updateResource).toHaveBeenCalledWith('170741', expect.objectContaining({ owner: 'nobody' }));
    await waitFor(() => expect(owner).toHaveAccessibleDescription(expect.stringContaining('Owner: no user named nobody')));
    expect(owner).toHaveFocus();
    expect(screen.getByRole('dialog', { name: 'Edit Resource' })).toBeInTheDocument();
  });

  it('a blank Owner on edit keeps the owner', async () => {
    const { user, dialog } = await openEditDb01(alice);
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(mockVault.updateResource).toHaveBeenCalledWith('170741', expect.objectContaining({ name: 'db01', owner: '' }));
  });

  it('is not offered to an operator without the All Passwords scope, who keeps the owner', async () => {
    const add = await openAddResource(bob);
    expect(within(add.dialog).queryByLabelText('Owner')).not.toBeInTheDocument();
    await add.user.click(within(add.dialog).getByRole('button', { name: 'Cancel' }));
    add.unmount();

    const { user, dialog } = await openEditDb01(bob);
    expect(within(dialog).queryByLabelText('Owner')).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(mockVault.updateResource).toHaveBeenCalledWith('170741', expect.objectContaining({ owner: '' }));
  });
});

describe('Generate password', () => {
  it('fills Password with a Strong password by default and shows it; nothing else gets it', async () => {
    const { user, dialog } = await openAddAccount();
    const writeText = mockClipboard();
    const policy = within(dialog).getByRole('combobox', { name: 'Password Policy' });
    expect(policy).toHaveValue('Strong');
    await waitFor(() =>
      expect(policy).toHaveAccessibleDescription('20 characters: lower, upper, digits and symbols, at least 2 of each'),
    );
    const password = within(dialog).getByLabelText(/^Password(?! Policy)/);
    expect(password).toHaveAttribute('type', 'password');

    await user.click(within(dialog).getByRole('button', { name: 'Generate' }));

    expect(mockVault.generatePassword).toHaveBeenCalledWith('Strong');
    await waitFor(() => expect(password).toHaveValue(generatedPassword));
    expect(password).toHaveAttribute('type', 'text');
    expect(writeText).not.toHaveBeenCalled();
    expect(mockVault.revealPassword).not.toHaveBeenCalled();

    await user.type(within(dialog).getByLabelText(/^Account Name/), 'postgres');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(mockVault.createAccount).toHaveBeenCalledWith(
      '170741',
      expect.objectContaining({ accountName: 'postgres', password: generatedPassword }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.queryByText(generatedPassword)).not.toBeInTheDocument();
  });

  it('passes the chosen policy and replaces what was typed', async () => {
    mockVault.generatePassword.mockResolvedValueOnce('medium1Password');
    const { user, dialog } = await openAddAccount();
    const password = within(dialog).getByLabelText(/^Password(?! Policy)/);
    await user.type(password, 'typed');
    await user.click(within(dialog).getByRole('combobox', { name: 'Password Policy' }));
    await user.click(await screen.findByRole('option', { name: 'Medium' }));
    expect(within(dialog).getByRole('combobox', { name: 'Password Policy' })).toHaveAccessibleDescription(
      '14 characters: lower, upper and digits, at least 1 of each',
    );

    await user.click(within(dialog).getByRole('button', { name: 'Generate' }));

    expect(mockVault.generatePassword).toHaveBeenCalledWith('Medium');
    await waitFor(() => expect(password).toHaveValue('medium1Password'));
  });

  it('shows a refusal under Password Policy and leaves Password as it was', async () => {
    mockVault.generatePassword.mockRejectedValueOnce(backendError('invalid', 'Policy: one of Strong, Medium, Low', 'policy'));
    const { user, dialog } = await openAddAccount();
    await user.click(within(dialog).getByRole('button', { name: 'Generate' }));
    await waitFor(() =>
      expect(within(dialog).getByRole('combobox', { name: 'Password Policy' })).toHaveAccessibleDescription(
        expect.stringContaining('Policy: one of Strong, Medium, Low'),
      ),
    );
    expect(within(dialog).getByLabelText(/^Password(?! Policy)/)).toHaveValue('');
  });
});
