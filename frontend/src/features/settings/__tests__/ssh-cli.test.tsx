import { screen, waitFor, within } from '@testing-library/react';
import { App } from '../../../App';
import type { Operator } from '../../../lib/wails';
import { alice, bob, backendError, readyState } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { mockVault, sshServerInfo } from '../../../test/vaultMock';
import { mockApi, resetApiMock } from '../../../test/wailsMock';
import { mockClipboard, openAddAPIUser, openUsers } from '../../users/__tests__/helpers';

vi.mock('../../../lib/wails');

beforeEach(() => {
  resetApiMock();
});

/** Opens Settings and returns the SSH CLI card once its status is loaded. */
async function openSshCli(operator: Operator = alice) {
  mockApi.getAppState.mockResolvedValue(readyState(operator));
  const view = renderWithProviders(<App />);
  const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
  await view.user.click(within(nav).getByRole('button', { name: 'Settings' }));
  const card = await screen.findByRole('region', { name: 'SSH CLI' });
  await within(card).findByLabelText('Listen address');
  return { ...view, card };
}

function valueOf(card: HTMLElement, header: string): HTMLElement {
  const th = within(card).getByRole('rowheader', { name: header });
  return th.nextElementSibling as HTMLElement;
}

describe('Settings: SSH CLI', () => {
  it('shows the status, the host key fingerprint with Copy, the settings and an example', async () => {
    const { card, user } = await openSshCli();
    const writeText = mockClipboard();

    const status = valueOf(card, 'Status');
    expect(within(status).getByText('Running')).toBeInTheDocument();
    expect(within(status).getByText('on 127.0.0.1:5522')).toBeInTheDocument();
    expect(valueOf(card, 'Host key fingerprint')).toHaveTextContent(sshServerInfo.fingerprint);
    expect(within(card).getByLabelText('Listen address')).toHaveValue('127.0.0.1:5522');
    expect(within(card).getByLabelText('Listen address')).toHaveAccessibleDescription(
      '127.0.0.1:5522 serves this machine only; 0.0.0.0:5522 serves all interfaces',
    );
    expect(within(card).getByLabelText('Serve the SSH CLI while Hostbound is unlocked')).toBeChecked();
    expect(
      within(card).getByText('ssh -p 5522 -i KEY USERNAME@HOST RETRIEVE --resource=NAME --account=NAME'),
    ).toBeInTheDocument();

    await user.click(within(valueOf(card, 'Host key fingerprint')).getByRole('button', { name: 'Copy' }));
    expect(writeText).toHaveBeenCalledWith(sshServerInfo.fingerprint);
  });

  it('shows Stopped and the reason when the server is not running', async () => {
    mockVault.getSSHServer.mockResolvedValue({
      ...sshServerInfo,
      running: false,
      fingerprint: '',
      error: 'The SSH CLI is not available in this build',
    });
    const { card } = await openSshCli();
    const status = valueOf(card, 'Status');
    expect(within(status).getByText('Stopped')).toBeInTheDocument();
    expect(within(status).getByRole('alert')).toHaveTextContent('The SSH CLI is not available in this build');
    expect(valueOf(card, 'Host key fingerprint')).toHaveTextContent('—');
  });

  it('saves the typed address and checkbox and shows the new status', async () => {
    mockVault.getSSHServer.mockResolvedValue({ ...sshServerInfo, running: false, enabled: false });
    const { card, user } = await openSshCli();

    await user.clear(within(card).getByLabelText('Listen address'));
    await user.type(within(card).getByLabelText('Listen address'), '0.0.0.0:2222');
    await user.click(within(card).getByLabelText('Serve the SSH CLI while Hostbound is unlocked'));
    await user.click(within(card).getByRole('button', { name: 'Save' }));

    expect(mockVault.saveSSHServer).toHaveBeenCalledWith('0.0.0.0:2222', true);
    expect(mockVault.saveAPIServer).not.toHaveBeenCalled();
    expect(await within(card).findByText('SSH CLI settings saved.')).toBeInTheDocument();
    expect(within(valueOf(card, 'Status')).getByText('on 0.0.0.0:2222')).toBeInTheDocument();
    expect(
      within(card).getByText('ssh -p 2222 -i KEY USERNAME@HOST RETRIEVE --resource=NAME --account=NAME'),
    ).toBeInTheDocument();
  });

  it('shows the backend error under Listen address for a bad one', async () => {
    mockVault.saveSSHServer.mockRejectedValueOnce(
      backendError('invalid', 'SSH listen address: host:port, e.g. 127.0.0.1:5522 or 0.0.0.0:5522', 'sshListen'),
    );
    const { card, user } = await openSshCli();

    await user.clear(within(card).getByLabelText('Listen address'));
    await user.type(within(card).getByLabelText('Listen address'), 'nonsense');
    await user.click(within(card).getByRole('button', { name: 'Save' }));

    expect(mockVault.saveSSHServer).toHaveBeenCalledWith('nonsense', true);
    await waitFor(() =>
      expect(within(card).getByLabelText('Listen address')).toHaveAccessibleDescription(
        expect.stringContaining('SSH listen address: host:port, e.g. 127.0.0.1:5522 or 0.0.0.0:5522'),
      ),
    );
    expect(within(card).getByLabelText('Listen address')).toHaveAttribute('aria-invalid', 'true');
    expect(within(card).queryByText('Could not save the SSH CLI settings')).not.toBeInTheDocument();
    expect(within(card).queryByText('SSH CLI settings saved.')).not.toBeInTheDocument();
    // The REST API card's field is untouched.
    const rest = screen.getByRole('region', { name: 'REST API' });
    expect(within(rest).getByLabelText('Listen address')).not.toHaveAttribute('aria-invalid', 'true');
  });

  it('has no Save without settings.manage', async () => {
    const { card, user } = await openSshCli(bob);

    expect(within(card).queryByRole('button', { name: 'Save' })).not.toBeInTheDocument();
    expect(within(card).getByLabelText('Listen address')).toHaveAttribute('readonly');
    expect(within(card).getByLabelText('Serve the SSH CLI while Hostbound is unlocked')).toBeDisabled();
    expect(within(card).getByText('Only operators who may manage security settings can change these.')).toBeInTheDocument();
    // The fingerprint is still there to check a host's known_hosts against.
    expect(valueOf(card, 'Host key fingerprint')).toHaveTextContent(sshServerInfo.fingerprint);

    await user.type(within(card).getByLabelText('Listen address'), '0');
    expect(within(card).getByLabelText('Listen address')).toHaveValue('127.0.0.1:5522');
    expect(mockVault.saveSSHServer).not.toHaveBeenCalled();
  });
});

describe('Add API User: what the key and the certificate enable', () => {
  it('says it under each field', async () => {
    const { user } = await openUsers();
    const dialog = await openAddAPIUser(user);
    expect(within(dialog).getByLabelText('Public key for SSH CLI access')).toHaveAccessibleDescription(
      expect.stringContaining('Lets this API user run RETRIEVE over SSH (Settings → SSH CLI) from its host, with this key.'),
    );
    expect(within(dialog).getByLabelText('SSL Certificate for XML-RPC API access')).toHaveAccessibleDescription(
      expect.stringContaining('with this client certificate instead of an API key, from its host.'),
    );
  });
});
