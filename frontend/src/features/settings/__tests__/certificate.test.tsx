import { screen, waitFor, within } from '@testing-library/react';
import { App } from '../../../App';
import type { Operator } from '../../../lib/wails';
import { alice, bob, backendError, readyState } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { apiServerInfo, importedCertificate, mockVault, selfSignedCertificate } from '../../../test/vaultMock';
import { mockApi, resetApiMock } from '../../../test/wailsMock';
import { formatDateTime } from '../../users/format';

vi.mock('../../../lib/wails');

const CERT_PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ\n-----END CERTIFICATE-----';
const KEY_PEM = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49\n-----END PRIVATE KEY-----';

beforeEach(() => {
  resetApiMock();
});

/** Opens Settings and returns the Server certificate card once it is loaded. */
async function openCertificate(operator: Operator = alice) {
  mockApi.getAppState.mockResolvedValue(readyState(operator));
  const view = renderWithProviders(<App />);
  const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
  await view.user.click(within(nav).getByRole('button', { name: 'Settings' }));
  const card = await screen.findByRole('region', { name: 'Server certificate' });
  await within(card).findByRole('rowheader', { name: 'Subject' });
  return { ...view, card };
}

function valueOf(card: HTMLElement, header: string): HTMLElement {
  const th = within(card).getByRole('rowheader', { name: header });
  return th.nextElementSibling as HTMLElement;
}

/** Opens Import certificate… and pastes the PEM texts. */
async function pasteCertificate(user: Awaited<ReturnType<typeof openCertificate>>['user'], card: HTMLElement) {
  await user.click(within(card).getByRole('button', { name: 'Import certificate…' }));
  const dialog = await screen.findByRole('dialog', { name: 'Import certificate' });
  await user.click(within(dialog).getByLabelText('Certificate (PEM)'));
  await user.paste(CERT_PEM);
  await user.click(within(dialog).getByLabelText('Private key (PEM)'));
  await user.paste(KEY_PEM);
  return dialog;
}

describe('Settings: Server certificate', () => {
  it('shows the subject, the expiry date and that it is self-signed, right after the REST API card', async () => {
    const { card } = await openCertificate();

    expect(valueOf(card, 'Subject')).toHaveTextContent('CN=Hostbound');
    expect(valueOf(card, 'Expires')).toHaveTextContent(formatDateTime(selfSignedCertificate.notAfter));
    expect(valueOf(card, 'Type')).toHaveTextContent('Self-signed (renewed automatically 30 days before it expires)');
    // The fingerprint is shown once, in the REST API card.
    expect(card).not.toHaveTextContent(apiServerInfo.fingerprint);
    const rest = screen.getByRole('region', { name: 'REST API' });
    expect(rest.compareDocumentPosition(card) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    // Self-signed already: nothing to go back to.
    expect(within(card).queryByRole('button', { name: 'Use a self-signed certificate' })).not.toBeInTheDocument();
  });

  it('imports the pasted certificate and key, shows Imported and reloads the REST API status', async () => {
    const { card, user } = await openCertificate();
    mockVault.getServerCertificate.mockResolvedValue({ ...importedCertificate });
    mockVault.getAPIServer.mockResolvedValue({ ...apiServerInfo, fingerprint: importedCertificate.fingerprint });

    const dialog = await pasteCertificate(user, card);
    expect(within(dialog).getByLabelText('Private key (PEM)')).toHaveAccessibleDescription(
      'The key stays in the encrypted store; it is never written to a file.',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));

    expect(mockVault.importServerCertificate).toHaveBeenCalledWith(CERT_PEM, KEY_PEM);
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Import certificate' })).not.toBeInTheDocument());
    expect(await within(card).findByText('Imported (your own; renew it yourself)')).toBeInTheDocument();
    expect(valueOf(card, 'Subject')).toHaveTextContent('CN=vault.example.com,O=Example Corp');
    expect(valueOf(card, 'Expires')).toHaveTextContent(formatDateTime(importedCertificate.notAfter));
    expect(within(card).getByRole('status')).toHaveTextContent('Certificate imported.');

    // The REST API restarted with the new certificate: its card shows the new fingerprint.
    const rest = screen.getByRole('region', { name: 'REST API' });
    expect(await within(rest).findByText(importedCertificate.fingerprint)).toBeInTheDocument();
    expect(mockVault.getAPIServer).toHaveBeenCalledTimes(2);
    expect(mockVault.getServerCertificate).toHaveBeenCalledTimes(2);
  });

  it('shows the backend error under Certificate (PEM) and keeps the dialog open', async () => {
    const message =
      'Server certificate: a PEM certificate and the PEM private key that belongs to it (private key does not match public key)';
    mockVault.importServerCertificate.mockRejectedValueOnce(backendError('invalid', message, 'certificate'));
    const { card, user } = await openCertificate();

    const dialog = await pasteCertificate(user, card);
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));

    const field = within(dialog).getByLabelText('Certificate (PEM)');
    await waitFor(() => expect(field).toHaveAccessibleDescription(expect.stringContaining(message)));
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveFocus();
    expect(within(dialog).getByLabelText('Private key (PEM)')).not.toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).queryByText('Could not import the certificate')).not.toBeInTheDocument();
    // Nothing changed.
    expect(valueOf(card, 'Type')).toHaveTextContent('Self-signed');
    expect(mockVault.getAPIServer).toHaveBeenCalledTimes(1);

    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Import certificate' })).not.toBeInTheDocument());
  });

  it('shows a refusal that names no field next to the Import button', async () => {
    mockVault.importServerCertificate.mockRejectedValueOnce(
      backendError('forbidden', 'You are not allowed to change security settings'),
    );
    const { card, user } = await openCertificate();

    const dialog = await pasteCertificate(user, card);
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Could not import the certificate');
    expect(alert).toHaveTextContent('You are not allowed to change security settings');
  });

  it('goes back to a self-signed certificate after confirmation', async () => {
    mockVault.getServerCertificate.mockResolvedValue({ ...importedCertificate });
    const { card, user } = await openCertificate();
    expect(valueOf(card, 'Type')).toHaveTextContent('Imported (your own; renew it yourself)');

    await user.click(within(card).getByRole('button', { name: 'Use a self-signed certificate' }));
    const confirm = await screen.findByRole('dialog', { name: 'Use a self-signed certificate' });
    expect(mockVault.useSelfSignedCertificate).not.toHaveBeenCalled();
    mockVault.getServerCertificate.mockResolvedValue({ ...selfSignedCertificate });
    await user.click(within(confirm).getByRole('button', { name: 'Use self-signed' }));

    expect(mockVault.useSelfSignedCertificate).toHaveBeenCalledTimes(1);
    expect(
      await within(card).findByText('Self-signed (renewed automatically 30 days before it expires)'),
    ).toBeInTheDocument();
    expect(within(card).queryByRole('button', { name: 'Use a self-signed certificate' })).not.toBeInTheDocument();
    await waitFor(() => expect(mockVault.getAPIServer).toHaveBeenCalledTimes(2));
  });

  it('has no Import button without settings.manage', async () => {
    mockVault.getServerCertificate.mockResolvedValue({ ...importedCertificate });
    const { card } = await openCertificate(bob);

    expect(valueOf(card, 'Subject')).toHaveTextContent('CN=vault.example.com,O=Example Corp');
    expect(within(card).queryByRole('button', { name: 'Import certificate…' })).not.toBeInTheDocument();
    expect(within(card).queryByRole('button', { name: 'Use a self-signed certificate' })).not.toBeInTheDocument();
    expect(within(card).getByText('Only operators who may manage security settings can change it.')).toBeInTheDocument();
  });
});
