import { screen, waitFor, within } from '@testing-library/react';
import { alice, makeUserRow } from '../../../test/fixtures';
import { mockApi, resetApiMock } from '../../../test/wailsMock';
import { formatDateTime } from '../format';
import { openUsers } from './helpers';

vi.mock('../../../lib/wails');

const backup = makeUserRow({
  username: 'backup@web01.example.com',
  fullName: 'Nightly Backup',
  host: 'web01.example.com',
  roleName: 'Password User',
  keyCreatedAt: '2026-01-05T09:30:00Z',
  keyExpiresAt: '2099-04-05T09:30:00Z',
  lastUsedAt: '2026-02-01T12:00:00Z',
  lastUsedFrom: '10.0.0.7',
  useCount: 1234,
  department: 'Operations',
  location: 'Berlin',
});

const activity = {
  shares: [
    { resourceId: '170741', resourceName: 'db01', accountId: '', accountName: '', permission: 'view' as const },
    { resourceId: '170745', resourceName: 'web01', accountId: '170746', accountName: 'postgres', permission: 'modify' as const },
  ],
  audit: [
    {
      seq: 42,
      time: '2026-02-01T12:00:00Z',
      actor: 'backup@web01.example.com',
      operation: 'retrieve password',
      target: 'db01 / postgres',
      result: 'failure',
      source: '10.0.0.7',
      reason: 'source address 10.0.0.7 does not belong to web01.example.com',
    },
    {
      seq: 7,
      time: '2026-01-05T09:30:00Z',
      actor: 'alice',
      operation: 'create api user',
      target: 'backup@web01.example.com',
      result: 'success',
      source: 'desktop',
      reason: '',
    },
  ],
  auditHidden: false,
};

beforeEach(() => {
  resetApiMock();
  mockApi.listUsers.mockResolvedValue({ total: 1, rows: [backup] });
  mockApi.getUser.mockResolvedValue({
    ...backup,
    sshPublicKey: 'ssh-ed25519 AAAAC3Nza backup',
    sshFingerprint: 'SHA256:n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg',
    certificate: '-----BEGIN CERTIFICATE-----',
    certificateSubject: 'CN=backup',
    certificateNotAfter: '2027-01-01T00:00:00Z',
    certificateFingerprint: 'AB:CD:EF:01',
  });
  mockApi.getUserActivity.mockResolvedValue(structuredClone(activity));
});

/** The value cell of the row labelled label in the drawer's details. */
function field(drawer: HTMLElement, label: string) {
  const row = within(within(drawer).getByRole('table', { name: 'User details' })).getByRole('rowheader', { name: label });
  return row.closest('tr')!.querySelector('td')!;
}

async function openDrawer() {
  const view = await openUsers();
  await view.user.click(await screen.findByText('Nightly Backup'));
  const drawer = await screen.findByRole('dialog', { name: 'backup@web01.example.com' });
  await within(drawer).findByRole('table', { name: 'User details' });
  return { ...view, drawer };
}

describe('User detail drawer', () => {
  it('opens on a row click with the fields, the shares and the recent audit', async () => {
    const { drawer } = await openDrawer();
    expect(mockApi.getUser).toHaveBeenCalledWith('backup@web01.example.com');
    expect(mockApi.getUserActivity).toHaveBeenCalledWith('backup@web01.example.com');

    expect(field(drawer, 'Kind')).toHaveTextContent('API user');
    expect(field(drawer, 'Full Name')).toHaveTextContent('Nightly Backup');
    expect(field(drawer, 'Host Name')).toHaveTextContent('web01.example.com');
    expect(field(drawer, 'Access Level')).toHaveTextContent('Password User');
    expect(field(drawer, 'Key Status')).toHaveTextContent('Active');
    expect(field(drawer, 'Key Created')).toHaveTextContent(formatDateTime('2026-01-05T09:30:00Z'));
    expect(field(drawer, 'Expires')).toHaveTextContent(formatDateTime('2099-04-05T09:30:00Z'));
    expect(field(drawer, 'Last Used')).toHaveTextContent(formatDateTime('2026-02-01T12:00:00Z'));
    expect(field(drawer, 'Last Used From')).toHaveTextContent('10.0.0.7');
    expect(field(drawer, 'Use Count')).toHaveTextContent('1,234');
    expect(field(drawer, 'SSH Public Key Fingerprint')).toHaveTextContent('SHA256:n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg');
    expect(field(drawer, 'Client Certificate Fingerprint')).toHaveTextContent('AB:CD:EF:01');
    expect(field(drawer, 'Department')).toHaveTextContent('Operations');
    expect(field(drawer, 'Location')).toHaveTextContent('Berlin');

    const shares = await within(drawer).findByRole('table', { name: 'Shares' });
    const shareRows = within(shares).getAllByRole('row').slice(1);
    expect(shareRows.map((r) => r.textContent)).toEqual(['db01whole resourceView', 'web01postgresModify']);

    const audit = within(drawer).getByRole('table', { name: 'Recent audit records' });
    const auditRows = within(audit).getAllByRole('row').slice(1);
    expect(auditRows).toHaveLength(2);
    expect(auditRows[0]).toHaveTextContent('retrieve password');
    expect(auditRows[0]).toHaveTextContent('Failure');
    expect(auditRows[0]).toHaveTextContent('does not belong to web01.example.com');
    expect(auditRows[0]).toHaveTextContent(formatDateTime('2026-02-01T12:00:00Z'));
    expect(auditRows[1]).toHaveTextContent('create api user');
    expect(auditRows[1]).toHaveTextContent('by alice');
    expect(within(drawer).queryByText(/not allowed to view the audit trail/)).not.toBeInTheDocument();
  });

  it('says the audit trail is not for the operator when the backend hides it', async () => {
    mockApi.getUserActivity.mockResolvedValue({ ...structuredClone(activity), audit: [], auditHidden: true });
    const { drawer } = await openDrawer();
    expect(await within(drawer).findByText('You are not allowed to view the audit trail.')).toBeInTheDocument();
    expect(within(drawer).queryByRole('table', { name: 'Recent audit records' })).not.toBeInTheDocument();
    expect(within(drawer).getByRole('table', { name: 'Shares' })).toBeInTheDocument();
  });

  it('opens with Enter on a focused row', async () => {
    const { user } = await openUsers();
    const row = await screen.findByRole('row', { name: /Nightly Backup/ });
    row.focus();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await user.keyboard('{Enter}');
    const drawer = await screen.findByRole('dialog', { name: 'backup@web01.example.com' });
    expect(await within(drawer).findByRole('table', { name: 'User details' })).toBeInTheDocument();
  });

  it('does not open from the row menu', async () => {
    const { user } = await openUsers();
    await user.click(await screen.findByRole('button', { name: 'Actions for backup@web01.example.com' }));
    expect(await screen.findByRole('menuitem', { name: 'Edit' })).toBeInTheDocument();
    expect(screen.queryByRole('dialog', { name: 'backup@web01.example.com' })).not.toBeInTheDocument();
  });

  it('opens the edit form from its Edit button', async () => {
    const { user, drawer } = await openDrawer();
    expect(within(drawer).getByRole('button', { name: 'Regenerate API Key' })).toBeInTheDocument();
    expect(within(drawer).getByRole('button', { name: 'Disable' })).toBeInTheDocument();
    expect(within(drawer).getByRole('button', { name: 'Delete' })).toBeInTheDocument();

    await user.click(within(drawer).getByRole('button', { name: 'Edit' }));
    const form = await screen.findByRole('dialog', { name: 'Edit API User' });
    expect(await within(form).findByDisplayValue('web01.example.com')).toBeInTheDocument();
    expect(mockApi.getUser).toHaveBeenCalledTimes(2); // the drawer's and the form's
  });

  it('disables the user from its Disable button and shows the new status', async () => {
    const { user, drawer } = await openDrawer();
    mockApi.getUser.mockResolvedValue({
      ...backup,
      disabled: true,
      keyStatus: 'disabled',
      sshPublicKey: '',
      sshFingerprint: '',
      certificate: '',
      certificateSubject: '',
      certificateNotAfter: '',
      certificateFingerprint: '',
    });
    await user.click(within(drawer).getByRole('button', { name: 'Disable' }));
    expect(mockApi.setUserDisabled).toHaveBeenCalledWith('backup@web01.example.com', true);
    await waitFor(() => expect(field(drawer, 'Status')).toHaveTextContent('Disabled'));
    expect(within(drawer).getByRole('button', { name: 'Enable' })).toBeInTheDocument();
  });

  it('shows an operator without the API key fields, and only Edit for oneself', async () => {
    const self = makeUserRow({
      username: 'alice',
      kind: 'operator',
      fullName: 'Alice Admin',
      host: '',
      restEnabled: false,
      keyStatus: 'none',
      keyHint: '',
    });
    mockApi.listUsers.mockResolvedValue({ total: 1, rows: [self] });
    mockApi.getUser.mockResolvedValue({
      ...self,
      sshPublicKey: '',
      sshFingerprint: '',
      certificate: '',
      certificateSubject: '',
      certificateNotAfter: '',
      certificateFingerprint: '',
    });
    const { user } = await openUsers(alice);
    await user.click(await screen.findByRole('row', { name: /Alice Admin/ }));
    const drawer = await screen.findByRole('dialog', { name: 'alice' });
    const details = await within(drawer).findByRole('table', { name: 'User details' });
    expect(field(drawer, 'Kind')).toHaveTextContent('Operator');
    for (const apiOnly of ['Host Name', 'Key Status', 'Use Count', 'SSH Public Key Fingerprint']) {
      expect(within(details).queryByRole('rowheader', { name: apiOnly })).not.toBeInTheDocument();
    }
    const buttons = within(within(drawer).getByRole('group', { name: 'Actions' })).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(['Edit']);
  });
});
