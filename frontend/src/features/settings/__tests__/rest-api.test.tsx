import { screen, waitFor, within } from '@testing-library/react';
import { App } from '../../../App';
import type { Operator } from '../../../lib/wails';
import { alice, bob, backendError, readyState } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { apiServerInfo, mockVault } from '../../../test/vaultMock';
import { mockApi, resetApiMock } from '../../../test/wailsMock';
import { mockClipboard } from '../../users/__tests__/helpers';

vi.mock('../../../lib/wails');

beforeEach(() => {
  resetApiMock();
});

/** Opens Settings and returns the REST API card once its status is loaded. */
async function openRestApi(operator: Operator = alice) {
  mockApi.getAppState.mockResolvedValue(readyState(operator));
  const view = renderWithProviders(<App />);
  const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
  await view.user.click(within(nav).getByRole('button', { name: 'Settings' }));
  const card = await screen.findByRole('region', { name: 'REST API' });
  await within(card).findByLabelText('Listen address');
  return { ...view, card };
}

function valueOf(card: HTMLElement, header: string): HTMLElement {
  const th = within(card).getByRole('rowheader', { name: header });
  return th.nextElementSibling as HTMLElement;
}

describe('Settings: REST API', () => {
  it('shows the status, the URL with Copy and the certificate fingerprint', async () => {
    const { card, user } = await openRestApi();
    const writeText = mockClipboard();

    expect(within(valueOf(card, 'Status')).getByText('Running')).toBeInTheDocument();
    expect(valueOf(card, 'URL')).toHaveTextContent('https://127.0.0.1:7272/restapi/json/v1');
    expect(valueOf(card, 'Certificate fingerprint (SHA-256)')).toHaveTextContent(apiServerInfo.fingerprint);
    expect(within(card).getByLabelText('Listen address')).toHaveValue('127.0.0.1:7272');
    expect(within(card).getByLabelText('Listen address')).toHaveAccessibleDescription(
      '127.0.0.1:7272 serves this machine only; 0.0.0.0:7272 serves all interfaces',
    );
    expect(within(card).getByLabelText('Serve the REST API while Hostbound is unlocked')).toBeChecked();
    expect(within(card).getByLabelText('Trusted proxies')).toHaveAccessibleDescription(
      'IP addresses or CIDRs whose X-Forwarded-For is believed, comma-separated',
    );

    await user.click(within(valueOf(card, 'URL')).getByRole('button', { name: 'Copy' }));
    expect(writeText).toHaveBeenCalledWith('https://127.0.0.1:7272/restapi/json/v1');
  });

  it('shows Stopped and the reason in red when the server could not start', async () => {
    mockVault.getAPIServer.mockResolvedValue({
      ...apiServerInfo,
      running: false,
      url: '',
      error: 'listen tcp 127.0.0.1:7272: bind: address already in use',
    });
    const { card } = await openRestApi();
    const status = valueOf(card, 'Status');
    expect(within(status).getByText('Stopped')).toBeInTheDocument();
    expect(within(status).queryByText('Running')).not.toBeInTheDocument();
    expect(within(status).getByRole('alert')).toHaveTextContent('bind: address already in use');
  });

  it('saves a new listen address and shows the new status', async () => {
    const { card, user } = await openRestApi();

    await user.clear(within(card).getByLabelText('Listen address'));
    await user.type(within(card).getByLabelText('Listen address'), '0.0.0.0:7443');
    await user.type(within(card).getByLabelText('Trusted proxies'), '10.0.0.0/8');
    await user.click(within(card).getByRole('button', { name: 'Save' }));

    expect(mockVault.saveAPIServer).toHaveBeenCalledWith('0.0.0.0:7443', true, '10.0.0.0/8', false);
    expect(await within(card).findByText('REST API settings saved.')).toBeInTheDocument();
    expect(valueOf(card, 'URL')).toHaveTextContent('https://0.0.0.0:7443/restapi/json/v1');
    expect(within(valueOf(card, 'Status')).getByText('on 0.0.0.0:7443')).toBeInTheDocument();
  });

  it('stops serving when the checkbox is cleared', async () => {
    const { card, user } = await openRestApi();
    await user.click(within(card).getByLabelText('Serve the REST API while Hostbound is unlocked'));
    await user.click(within(card).getByRole('button', { name: 'Save' }));
    expect(mockVault.saveAPIServer).toHaveBeenCalledWith('127.0.0.1:7272', false, '', false);
    expect(await within(valueOf(card, 'Status')).findByText('Stopped')).toBeInTheDocument();
  });

  it('answers refusals as PMP does when the checkbox is on, and shows the saved setting when Settings opens again', async () => {
    const { card, user } = await openRestApi();
    const pmp = within(card).getByRole('checkbox', { name: 'Answer refusals as PMP does (HTTP 200)' });
    expect(pmp).not.toBeChecked();
    expect(pmp).toHaveAccessibleDescription(
      'Some PMP clients read only the response body; Hostbound answers refusals with 4xx unless this is on.',
    );

    await user.click(pmp);
    await user.click(within(card).getByRole('button', { name: 'Save' }));
    expect(mockVault.saveAPIServer).toHaveBeenCalledWith('127.0.0.1:7272', true, '', true);
    expect(await within(card).findByText('REST API settings saved.')).toBeInTheDocument();
    expect(pmp).toBeChecked();

    // What Save stored is what GetAPIServer answers the next time.
    mockVault.getAPIServer.mockResolvedValue({ ...apiServerInfo, refusalsAsPmp: true });
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    await user.click(within(nav).getByRole('button', { name: 'Resources' }));
    await screen.findByRole('heading', { name: 'Resources' });
    await user.click(within(nav).getByRole('button', { name: 'Settings' }));
    const again = await screen.findByRole('region', { name: 'REST API' });
    const box = await within(again).findByRole('checkbox', { name: 'Answer refusals as PMP does (HTTP 200)' });
    expect(box).toBeChecked();

    await user.click(box);
    await user.click(within(again).getByRole('button', { name: 'Save' }));
    expect(mockVault.saveAPIServer).toHaveBeenLastCalledWith('127.0.0.1:7272', true, '', false);
  });

  it('shows the backend error under Listen address for a bad one', async () => {
    mockVault.saveAPIServer.mockRejectedValueOnce(
      backendError('invalid', 'Listen address: host:port, e.g. 127.0.0.1:7272 or 0.0.0.0:7272', 'listen'),
    );
    const { card, user } = await openRestApi();

    await user.clear(within(card).getByLabelText('Listen address'));
    await user.type(within(card).getByLabelText('Listen address'), 'nonsense');
    await user.click(within(card).getByRole('button', { name: 'Save' }));

    expect(mockVault.saveAPIServer).toHaveBeenCalledWith('nonsense', true, '', false);
    await waitFor(() =>
      expect(within(card).getByLabelText('Listen address')).toHaveAccessibleDescription(
        expect.stringContaining('Listen address: host:port, e.g. 127.0.0.1:7272 or 0.0.0.0:7272'),
      ),
    );
    expect(within(card).queryByText('REST API settings saved.')).not.toBeInTheDocument();
    expect(within(valueOf(card, 'Status')).getByText('Running')).toBeInTheDocument();
  });

  it('is read-only without settings.manage', async () => {
    const { card, user } = await openRestApi(bob);

    expect(within(card).getByLabelText('Listen address')).toHaveAttribute('readonly');
    expect(within(card).getByLabelText('Trusted proxies')).toHaveAttribute('readonly');
    expect(within(card).getByLabelText('Serve the REST API while Hostbound is unlocked')).toBeDisabled();
    expect(within(card).getByLabelText('Answer refusals as PMP does (HTTP 200)')).toBeDisabled();
    expect(within(card).getByRole('button', { name: 'Save' })).toBeDisabled();
    expect(within(card).getByText('Only operators who may manage security settings can change these.')).toBeInTheDocument();

    await user.type(within(card).getByLabelText('Listen address'), '0');
    expect(within(card).getByLabelText('Listen address')).toHaveValue('127.0.0.1:7272');
    expect(mockVault.saveAPIServer).not.toHaveBeenCalled();
  });
});
