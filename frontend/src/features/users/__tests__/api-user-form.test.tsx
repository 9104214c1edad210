import { screen, waitFor, within } from '@testing-library/react';
import { alice, bob, backendError, backendFieldErrors, makeUserRow } from '../../../test/fixtures';
import { mockApi, resetApiMock } from '../../../test/wailsMock';
import { mockVault } from '../../../test/vaultMock';
import { endOfDayIso } from '../format';
import { mockClipboard, openAddAPIUser, openUsers } from './helpers';

vi.mock('../../../lib/wails');

const KEY = 'hbk_5tLwQ3m2ZrXc8VnB0kPqYs7DfGh1JaUe4WiOy6TlRxC9v2Nz';
const ONCE = 'This key is shown only once. Copy it now: after Save it cannot be shown again.';

beforeEach(() => {
  resetApiMock();
  mockApi.generateAPIKey.mockResolvedValue(KEY);
});

type User = Awaited<ReturnType<typeof openUsers>>['user'];

async function fillRequired(user: User, dialog: HTMLElement) {
  await user.type(within(dialog).getByLabelText(/^Username/), 'backup@web01.example.com');
  await user.type(within(dialog).getByLabelText(/^Host Name/), 'web01.example.com');
  await user.type(within(dialog).getByLabelText(/^Full Name/), 'Nightly Backup');
}

const OPTIONAL = 'SSH CLI and certificate (optional)';

/** Opens "SSH CLI and certificate (optional)", collapsed in a new user's form. */
async function openOptional(user: User, dialog: HTMLElement) {
  const toggle = within(dialog).getByRole('button', { name: OPTIONAL });
  expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await user.click(toggle);
  expect(toggle).toHaveAttribute('aria-expanded', 'true');
}

async function chooseRole(user: User, dialog: HTMLElement, name: string) {
  await user.click(within(dialog).getByRole('combobox', { name: /^Access Level/ }));
  await user.click(await screen.findByRole('option', { name }));
}

describe('Add API User', () => {
  it('has the fields of the PMP form in order', async () => {
    const { user } = await openUsers();
    const dialog = await openAddAPIUser(user);
    await user.click(within(dialog).getByRole('button', { name: 'Enable Now' }));
    // Step 7's optional fields sit, collapsed, where the seed has them: after Access Scope, before REST API.
    const toggle = within(dialog).getByRole('button', { name: OPTIONAL });
    const follows = (a: Node, b: Node) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    expect(follows(within(dialog).getByRole('radiogroup', { name: 'Access Scope' }), toggle)).toBe(true);
    expect(follows(toggle, within(dialog).getByText('REST API', { selector: 'legend' }))).toBe(true);
    await openOptional(user, dialog);

    // Visible labels in document order; a radio group is labelled by a div.
    const labels = Array.from(dialog.querySelectorAll('label, legend, [role="radiogroup"]'))
      .map((l) =>
        l.getAttribute('role') === 'radiogroup'
          ? document.getElementById(l.getAttribute('aria-labelledby') ?? '')?.textContent
          : l.textContent,
      )
      .map((t) => t?.replace('*', '').trim())
      .filter((t) => t && !['Passwords Owned and Shared', 'All Passwords', 'Never Expires'].includes(t));
    expect(labels).toEqual([
      'Username',
      'Host Name',
      'Full Name',
      'Email',
      'Access Level',
      'Access Scope',
      'Public key for SSH CLI access',
      'SSL Certificate for XML-RPC API access',
      'REST API',
      'API Key',
      'Expiry Date',
      'Department',
      'Location',
    ]);
    expect(within(dialog).getByLabelText(/^Username/)).toHaveAttribute('placeholder', 'name@host');
    expect(within(dialog).getByRole('button', { name: 'Save' })).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toBeInTheDocument();
  });

  it('shows each field error from the backend under its field', async () => {
    mockApi.createAPIUser.mockRejectedValue(
      backendFieldErrors([
        { field: 'host', message: 'Host Name: not a valid hostname, IP address or CIDR' },
        { field: 'certificate', message: 'SSL Certificate: expired on 2025-01-31' },
        { field: 'expiresAt', message: 'Expiry date must be in the future' },
      ]),
    );
    const { user } = await openUsers();
    const dialog = await openAddAPIUser(user);
    await fillRequired(user, dialog);
    await openOptional(user, dialog);
    await user.type(within(dialog).getByLabelText('SSL Certificate for XML-RPC API access'), 'PEM');
    await user.click(within(dialog).getByRole('button', { name: 'Enable Now' }));
    await user.click(within(dialog).getByRole('button', { name: 'Generate' }));
    await user.clear(within(dialog).getByLabelText('Expiry Date'));
    await user.type(within(dialog).getByLabelText('Expiry Date'), '2030-01-31');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() =>
      expect(within(dialog).getByLabelText(/^Host Name/)).toHaveAccessibleDescription(
        expect.stringContaining('Host Name: not a valid hostname, IP address or CIDR'),
      ),
    );
    expect(within(dialog).getByLabelText(/^Host Name/)).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).getByLabelText('SSL Certificate for XML-RPC API access')).toHaveAccessibleDescription(
      expect.stringContaining('SSL Certificate: expired on 2025-01-31'),
    );
    expect(within(dialog).getByLabelText('Expiry Date')).toHaveAccessibleDescription(
      expect.stringContaining('Expiry date must be in the future'),
    );
    expect(within(dialog).getByLabelText(/^Username/)).not.toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).queryByText('Could not save the API user')).not.toBeInTheDocument();
    // Nothing closed: the operator can fix and save again.
    expect(screen.getByRole('dialog', { name: 'Add API User' })).toBeInTheDocument();
  });

  it('shows a single field error and a form-level refusal', async () => {
    mockApi.createAPIUser.mockRejectedValueOnce(backendError('conflict', 'Username already exists', 'username'));
    mockApi.createAPIUser.mockRejectedValueOnce(backendError('forbidden', 'You are not allowed to add API users'));
    const { user } = await openUsers();
    const dialog = await openAddAPIUser(user);
    await fillRequired(user, dialog);

    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(within(dialog).getByLabelText(/^Username/)).toHaveAccessibleDescription(
        expect.stringContaining('Username already exists'),
      ),
    );

    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('You are not allowed to add API users');
  });

  it('checks the required fields before asking the backend', async () => {
    const { user } = await openUsers();
    const dialog = await openAddAPIUser(user);
    await user.click(within(dialog).getByRole('button', { name: 'Enable Now' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(within(dialog).getByLabelText(/^Host Name/)).toHaveAccessibleDescription(
      expect.stringContaining('Host Name: required'),
    );
    // The expiry is filled in from the default validity set in Settings…
    const expiry = within(dialog).getByLabelText('Expiry Date');
    expect(expiry).toHaveAccessibleDescription(expect.stringContaining('90 days, the default set in Settings'));
    expect(expiry).not.toHaveAttribute('aria-invalid', 'true');
    // …and an emptied one is an error.
    await user.clear(expiry);
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(expiry).toHaveAccessibleDescription(expect.stringContaining('Expiry date: choose a date or Never Expires'));
    expect(mockApi.createAPIUser).not.toHaveBeenCalled();
  });

  it('saves a new key that expires after the default validity when the operator skips the expiry', async () => {
    mockVault.getKeyValidity.mockResolvedValue({ days: 30, min: 1, max: 3650 });
    mockApi.createAPIUser.mockResolvedValue(makeUserRow({ username: 'backup@web01' }));
    const { user } = await openUsers();
    const dialog = await openAddAPIUser(user);
    await fillRequired(user, dialog);
    await user.click(within(dialog).getByRole('button', { name: 'Enable Now' }));
    await user.click(within(dialog).getByRole('button', { name: 'Generate' }));
    expect(within(dialog).getByLabelText('Expiry Date')).toHaveAccessibleDescription(
      expect.stringContaining('30 days, the default set in Settings'),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(mockApi.createAPIUser).toHaveBeenCalledTimes(1));
    const sent = new Date(mockApi.createAPIUser.mock.calls[0][0].expiresAt);
    const days = (sent.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(31.1);
  });

  it('saving with the REST API on but no key shows the backend apiKey error', async () => {
    mockApi.createAPIUser.mockRejectedValue(
      backendError('invalid', 'API Key: generate a key, or turn the REST API off', 'apiKey'),
    );
    const { user } = await openUsers();
    const dialog = await openAddAPIUser(user);
    await fillRequired(user, dialog);
    await user.click(within(dialog).getByRole('button', { name: 'Enable Now' }));
    await user.click(within(dialog).getByLabelText('Never Expires'));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(mockApi.createAPIUser).toHaveBeenCalledWith(expect.objectContaining({ restEnabled: true, apiKey: '' }));
    await waitFor(() =>
      expect(within(dialog).getByLabelText('API Key')).toHaveAccessibleDescription(
        expect.stringContaining('API Key: generate a key, or turn the REST API off'),
      ),
    );
  });

  it('Generate shows the key once, Copy copies it, Save sends it and the key is gone afterwards', async () => {
    mockApi.listUsers.mockResolvedValue({ total: 0, rows: [] });
    const { user } = await openUsers();
    const clipboard = mockClipboard();
    const dialog = await openAddAPIUser(user);
    await fillRequired(user, dialog);

    expect(within(dialog).queryByLabelText('API Key')).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Enable Now' }));
    expect(within(dialog).getByText('Enabled')).toBeInTheDocument();
    expect(within(dialog).getByLabelText('API Key')).toHaveValue('');
    expect(within(dialog).queryByText(ONCE)).not.toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Generate' }));
    expect(await within(dialog).findByDisplayValue(KEY)).toHaveAttribute('readonly');
    expect(within(dialog).getByText(ONCE)).toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Copy' }));
    expect(clipboard).toHaveBeenCalledWith(KEY);
    expect(await within(dialog).findByRole('button', { name: 'Copied' })).toBeInTheDocument();

    await user.clear(within(dialog).getByLabelText('Expiry Date'));
    await user.type(within(dialog).getByLabelText('Expiry Date'), '2030-01-31');
    await user.type(within(dialog).getByLabelText('Department'), 'Operations');
    await user.type(within(dialog).getByLabelText('Location'), 'Berlin');

    mockApi.listUsers.mockResolvedValue({
      total: 1,
      rows: [makeUserRow({ username: 'backup@web01.example.com', keyHint: KEY.slice(0, 8) })],
    });
    const listCalls = mockApi.listUsers.mock.calls.length;
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(mockApi.createAPIUser).toHaveBeenCalledWith({
      username: 'backup@web01.example.com',
      host: 'web01.example.com',
      fullName: 'Nightly Backup',
      email: '',
      role: 'password_user',
      scope: 'owned_shared',
      sshPublicKey: '',
      certificate: '',
      restEnabled: true,
      apiKey: KEY,
      neverExpires: false,
      expiresAt: endOfDayIso('2030-01-31'),
      department: 'Operations',
      location: 'Berlin',
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await waitFor(() => expect(mockApi.listUsers.mock.calls.length).toBeGreaterThan(listCalls));
    expect(await screen.findByText(`${KEY.slice(0, 8)}…`)).toBeInTheDocument();
    expect(document.body.innerHTML).not.toContain(KEY);
    expect(screen.queryByDisplayValue(KEY)).not.toBeInTheDocument();
    expect(mockApi.discardAPIKey).not.toHaveBeenCalled();
  });

  it('Never Expires disables the Expiry Date and sends no date', async () => {
    const { user } = await openUsers();
    const dialog = await openAddAPIUser(user);
    await fillRequired(user, dialog);
    await user.click(within(dialog).getByRole('button', { name: 'Enable Now' }));
    await user.click(within(dialog).getByRole('button', { name: 'Generate' }));
    await user.click(within(dialog).getByLabelText('Never Expires'));
    expect(within(dialog).getByLabelText('Expiry Date')).toBeDisabled();

    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(mockApi.createAPIUser).toHaveBeenCalledWith(
      expect.objectContaining({ neverExpires: true, expiresAt: '', apiKey: KEY }),
    );
  });

  it('All Passwords is disabled for Password User and enabled for Administrator when the operator is a Super Administrator', async () => {
    const { user } = await openUsers(alice);
    const dialog = await openAddAPIUser(user);
    const all = () => within(dialog).getByRole('radio', { name: 'All Passwords' });

    expect(within(dialog).getByRole('combobox', { name: /^Access Level/ })).toHaveValue('Password User');
    expect(all()).toBeDisabled();
    expect(within(dialog).getByText(/All Passwords is only for the administrator roles/)).toBeInTheDocument();

    await chooseRole(user, dialog, 'Administrator');
    expect(all()).toBeEnabled();
    await user.click(all());
    expect(all()).toBeChecked();

    // Back to a role without it: the scope returns to Owned and Shared.
    await chooseRole(user, dialog, 'Password User');
    expect(all()).toBeDisabled();
    expect(within(dialog).getByRole('radio', { name: 'Passwords Owned and Shared' })).toBeChecked();
  });

  it('All Passwords stays disabled for Administrator when the operator is not a Super Administrator', async () => {
    const { user } = await openUsers(bob);
    const dialog = await openAddAPIUser(user);
    await chooseRole(user, dialog, 'Administrator');

    expect(within(dialog).getByRole('radio', { name: 'All Passwords' })).toBeDisabled();
    expect(within(dialog).getByText('Only a Super Administrator can grant All Passwords.')).toBeInTheDocument();
  });

  it('Cancel discards the generated key and closes', async () => {
    const { user } = await openUsers();
    const dialog = await openAddAPIUser(user);
    await user.click(within(dialog).getByRole('button', { name: 'Enable Now' }));
    await user.click(within(dialog).getByRole('button', { name: 'Generate' }));
    await within(dialog).findByDisplayValue(KEY);

    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));

    expect(mockApi.discardAPIKey).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(document.body.innerHTML).not.toContain(KEY);
    expect(mockApi.createAPIUser).not.toHaveBeenCalled();
  });
});

describe('A failed Save lands on the first invalid field', () => {
  // jsdom has no scrollIntoView; the spy records which element was scrolled into the dialog's middle.
  const scrolled = vi.fn();
  beforeEach(() => {
    Element.prototype.scrollIntoView = scrolled;
    scrolled.mockClear();
  });
  afterEach(() => {
    delete (Element.prototype as Partial<Element>).scrollIntoView;
  });

  function expectLandedOn(field: HTMLElement) {
    expect(document.activeElement).toBe(field);
    expect(scrolled.mock.contexts.at(-1)).toBe(field);
    expect(scrolled).toHaveBeenLastCalledWith({ block: 'center' });
  }

  it('focuses the first field the form refuses, in form order, down to the Expiry Date', async () => {
    const { user } = await openUsers();
    const dialog = await openAddAPIUser(user);
    await user.type(within(dialog).getByLabelText(/^Username/), 'backup@web01.example.com');
    await user.type(within(dialog).getByLabelText(/^Full Name/), 'Nightly Backup');
    await user.click(within(dialog).getByRole('button', { name: 'Enable Now' }));
    await user.clear(within(dialog).getByLabelText('Expiry Date'));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    // Host Name comes before the Expiry Date.
    expectLandedOn(within(dialog).getByLabelText(/^Host Name/));
    await user.type(within(dialog).getByLabelText(/^Host Name/), 'web01.example.com');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expectLandedOn(within(dialog).getByLabelText('Expiry Date'));
    expect(within(dialog).getByLabelText('Expiry Date')).toHaveAccessibleDescription(
      expect.stringContaining('Expiry date: choose a date or Never Expires'),
    );
    expect(mockApi.createAPIUser).not.toHaveBeenCalled();
  });

  it('focuses the first field the backend refuses, in form order whatever order the backend names them', async () => {
    mockApi.createAPIUser.mockRejectedValueOnce(
      backendFieldErrors([
        { field: 'location', message: 'Location: at most 100 characters' },
        { field: 'department', message: 'Department: at most 100 characters' },
      ]),
    );
    const { user } = await openUsers();
    const dialog = await openAddAPIUser(user);
    await fillRequired(user, dialog);
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() => expectLandedOn(within(dialog).getByLabelText('Department')));
    expect(within(dialog).getByLabelText('Location')).toHaveAttribute('aria-invalid', 'true');
  });

  it('focuses the Access Level when the backend refuses the role', async () => {
    mockApi.createAPIUser.mockRejectedValueOnce(
      backendFieldErrors([
        { field: 'role', message: 'Access Level: you cannot grant a role with permissions you do not hold' },
        { field: 'location', message: 'Location: at most 100 characters' },
      ]),
    );
    const { user } = await openUsers();
    const dialog = await openAddAPIUser(user);
    await fillRequired(user, dialog);
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() => expectLandedOn(within(dialog).getByRole('combobox', { name: /^Access Level/ })));
  });
});

describe('SSH CLI and certificate (optional)', () => {
  it('is collapsed for a new user and opens with its button', async () => {
    const { user } = await openUsers();
    const dialog = await openAddAPIUser(user);
    expect(within(dialog).getByLabelText('Public key for SSH CLI access')).not.toBeVisible();
    expect(within(dialog).getByLabelText('SSL Certificate for XML-RPC API access')).not.toBeVisible();

    await openOptional(user, dialog);
    expect(within(dialog).getByLabelText('Public key for SSH CLI access')).toBeVisible();
    await user.type(within(dialog).getByLabelText('Public key for SSH CLI access'), 'ssh-ed25519 AAAA');
    await fillRequired(user, dialog);
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(mockApi.createAPIUser).toHaveBeenCalledWith(expect.objectContaining({ sshPublicKey: 'ssh-ed25519 AAAA' }));
  });

  it('is open when editing a user that has an SSH key', async () => {
    mockApi.listUsers.mockResolvedValue({ total: 1, rows: [makeUserRow({ username: 'backup@web01.example.com' })] });
    mockApi.getUser.mockResolvedValue({
      ...makeUserRow({ username: 'backup@web01.example.com' }),
      sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 backup@web01',
      sshFingerprint: 'SHA256:abc',
      certificate: '',
      certificateSubject: '',
      certificateNotAfter: '',
      certificateFingerprint: '',
    });
    const { user } = await openUsers();
    await user.click(await screen.findByRole('button', { name: 'Actions for backup@web01.example.com' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit API User' });

    const key = await within(dialog).findByLabelText('Public key for SSH CLI access');
    expect(within(dialog).getByRole('button', { name: OPTIONAL })).toHaveAttribute('aria-expanded', 'true');
    expect(key).toBeVisible();
    expect(key).toHaveValue('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 backup@web01');
    expect(within(dialog).getByText('Fingerprint: SHA256:abc')).toBeVisible();
  });

  it('opens when the backend refuses one of its fields while it is collapsed, and focuses that field', async () => {
    mockApi.createAPIUser.mockRejectedValueOnce(
      backendFieldErrors([
        { field: 'location', message: 'Location: at most 100 characters' },
        { field: 'certificate', message: 'SSL Certificate: expired on 2025-01-31' },
      ]),
    );
    const { user } = await openUsers();
    const dialog = await openAddAPIUser(user);
    // Filled in, then collapsed again: the value is still sent.
    await openOptional(user, dialog);
    await user.type(within(dialog).getByLabelText('SSL Certificate for XML-RPC API access'), 'PEM');
    const toggle = within(dialog).getByRole('button', { name: OPTIONAL });
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await fillRequired(user, dialog);
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    const certificate = within(dialog).getByLabelText('SSL Certificate for XML-RPC API access');
    await waitFor(() => expect(document.activeElement).toBe(certificate));
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(certificate).toBeVisible();
    expect(certificate).toHaveAccessibleDescription(expect.stringContaining('SSL Certificate: expired on 2025-01-31'));
  });
});

describe('Edit API User', () => {
  beforeEach(() => {
    mockApi.listUsers.mockResolvedValue({ total: 1, rows: [makeUserRow({ username: 'backup@web01.example.com' })] });
  });

  async function openEdit(user: User) {
    await user.click(await screen.findByRole('button', { name: 'Actions for backup@web01.example.com' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit API User' });
    await within(dialog).findByLabelText(/^Username/);
    return dialog;
  }

  it('keeps the username fixed and shows only the hint of the current key', async () => {
    const { user } = await openUsers();
    const dialog = await openEdit(user);

    expect(mockApi.getUser).toHaveBeenCalledWith('backup@web01.example.com');
    const username = within(dialog).getByLabelText(/^Username/);
    expect(username).toHaveValue('backup@web01.example.com');
    expect(username).toHaveAttribute('readonly');
    expect(within(dialog).getByText('Username cannot be changed')).toBeInTheDocument();
    expect(within(dialog).getByLabelText('API Key')).toHaveValue('hbk_AbCd…');
    expect(within(dialog).queryByRole('button', { name: 'Generate' })).not.toBeInTheDocument();

    await user.clear(within(dialog).getByLabelText('Department'));
    await user.type(within(dialog).getByLabelText('Department'), 'Platform');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(mockApi.updateAPIUser).toHaveBeenCalledWith(
      'backup@web01.example.com',
      expect.objectContaining({ department: 'Platform', apiKey: '', restEnabled: true, neverExpires: true }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('Regenerate API Key shows a different key once', async () => {
    const { user } = await openUsers();
    const dialog = await openEdit(user);
    await user.click(within(dialog).getByRole('button', { name: 'Regenerate API Key' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Regenerate API Key' })).getByRole('button', { name: 'Regenerate' }));

    const shown = await screen.findByRole('dialog', { name: 'New API Key' });
    const newKey = 'hbk_RegeneratedKey00000000000000000000000000000zyxwv';
    expect(within(shown).getByLabelText('API Key')).toHaveValue(newKey);
    expect(newKey).not.toBe(KEY);
    await user.click(within(shown).getByRole('button', { name: 'Done' }));

    expect(screen.queryByRole('dialog', { name: 'New API Key' })).not.toBeInTheDocument();
    expect(document.body.innerHTML).not.toContain(newKey);
    // The form now shows the new key's hint.
    expect(within(screen.getByRole('dialog', { name: 'Edit API User' })).getByLabelText('API Key')).toHaveValue('hbk_Regn…');
  });
});
