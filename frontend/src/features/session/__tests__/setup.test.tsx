import { screen, waitFor, within } from '@testing-library/react';
import { App } from '../../../App';
import { backendError, makeState, readyState } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { mockApi, resetApiMock } from '../../../test/wailsMock';
import type { AppState } from '../../../lib/wails';

vi.mock('../../../lib/wails');

const PASSWORD = 'correct horse battery';

beforeEach(() => {
  resetApiMock();
  // The sample's two calls have no defaults in resetApiMock.
  mockApi.exploreSampleData.mockReset();
  mockApi.leaveSampleData.mockReset();
});

async function renderSetup(keyringAvailable: boolean, keyringProblem = '', os = 'linux') {
  mockApi.getAppState.mockResolvedValue(
    makeState({ phase: 'setup', keyStorage: '', keyringAvailable, keyringProblem, os }),
  );
  const view = renderWithProviders(<App />);
  await screen.findByRole('heading', { name: 'Welcome to Hostbound' });
  return view;
}

describe('first-run setup', () => {
  it('creates the administrator with the keyring and shows the logged-in header', async () => {
    mockApi.createFirstAdministrator.mockResolvedValue(readyState());
    const { user } = await renderSetup(true);

    expect(
      screen.getByText(
        'Create the first administrator. This account is a Privileged Administrator with access to all passwords.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('The master key will be stored in your OS keyring.')).toBeInTheDocument();
    expect(screen.queryByLabelText(/^Passphrase/)).not.toBeInTheDocument();
    expect(screen.getByLabelText(/^Username/)).toHaveFocus();

    await user.type(screen.getByLabelText(/^Username/), 'alice');
    await user.type(screen.getByLabelText(/^Full Name/), 'Alice Admin');
    await user.type(screen.getByLabelText(/^Email/), 'alice@example.com');
    await user.type(screen.getByLabelText(/^Password/), PASSWORD);
    await user.type(screen.getByLabelText(/^Confirm Password/), PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Create Administrator' }));

    expect(mockApi.createFirstAdministrator).toHaveBeenCalledTimes(1);
    expect(mockApi.createFirstAdministrator).toHaveBeenCalledWith({
      username: 'alice',
      fullName: 'Alice Admin',
      email: 'alice@example.com',
      password: PASSWORD,
      confirmPassword: PASSWORD,
      passphrase: '',
      confirmPassphrase: '',
    });

    const header = await screen.findByRole('banner');
    expect(within(header).getByText('Alice Admin')).toBeInTheDocument();
    expect(within(header).getByText('Privileged Administrator')).toBeInTheDocument();
    expect(within(header).getByText('Super Administrator')).toBeInTheDocument();
  });

  it('asks for a passphrase when the OS keyring is not available, and sends it', async () => {
    mockApi.createFirstAdministrator.mockResolvedValue(readyState(undefined, { keyStorage: 'passphrase' }));
    const { user } = await renderSetup(false, 'no Secret Service on the session bus');

    expect(screen.getByText(/GNOME Keyring or KDE Wallet\), so that it opens without a password/)).toBeInTheDocument();
    expect(screen.getByText(/protected with a passphrase/)).toHaveTextContent('every time Hostbound starts');
    // The technical text is behind Details.
    expect(screen.queryByText('no Secret Service on the session bus')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Details' }));
    expect(screen.getByText('no Secret Service on the session bus')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Hide details' })).toHaveAttribute('aria-expanded', 'true');
    expect(screen.queryByText('The master key will be stored in your OS keyring.')).not.toBeInTheDocument();

    await user.type(screen.getByLabelText(/^Username/), 'alice');
    await user.type(screen.getByLabelText(/^Full Name/), 'Alice Admin');
    await user.type(screen.getByLabelText(/^Password/), PASSWORD);
    await user.type(screen.getByLabelText(/^Confirm Password/), PASSWORD);
    await user.type(screen.getByLabelText(/^Passphrase/), 'a long vault passphrase');
    await user.type(screen.getByLabelText(/^Confirm Passphrase/), 'a long vault passphrase{Enter}');

    expect(mockApi.createFirstAdministrator).toHaveBeenCalledWith(
      expect.objectContaining({
        passphrase: 'a long vault passphrase',
        confirmPassphrase: 'a long vault passphrase',
      }),
    );
    expect(await screen.findByRole('banner')).toHaveTextContent('Alice Admin');
  });

  it('blocks a short password and a mismatched confirmation without calling the backend', async () => {
    const { user } = await renderSetup(true);

    await user.type(screen.getByLabelText(/^Username/), 'alice');
    await user.type(screen.getByLabelText(/^Full Name/), 'Alice Admin');
    await user.type(screen.getByLabelText(/^Password/), 'short');
    await user.type(screen.getByLabelText(/^Confirm Password/), 'different');
    await user.click(screen.getByRole('button', { name: 'Create Administrator' }));

    expect(screen.getByLabelText(/^Password/)).toHaveAccessibleDescription(
      expect.stringContaining('Password must be at least 12 characters'),
    );
    expect(screen.getByLabelText(/^Confirm Password/)).toHaveAccessibleDescription(
      expect.stringContaining('Passwords do not match'),
    );
    expect(mockApi.createFirstAdministrator).not.toHaveBeenCalled();
  });

  it('requires username, full name and a matching passphrase when it is shown', async () => {
    const { user } = await renderSetup(false);

    await user.type(screen.getByLabelText(/^Password/), PASSWORD);
    await user.type(screen.getByLabelText(/^Confirm Password/), PASSWORD);
    await user.type(screen.getByLabelText(/^Passphrase/), 'a long vault passphrase');
    await user.type(screen.getByLabelText(/^Confirm Passphrase/), 'another passphrase!!');
    await user.click(screen.getByRole('button', { name: 'Create Administrator' }));

    expect(screen.getByText('Username is required')).toBeInTheDocument();
    expect(screen.getByText('Full Name is required')).toBeInTheDocument();
    expect(screen.getByText('Passphrases do not match')).toBeInTheDocument();
    expect(mockApi.createFirstAdministrator).not.toHaveBeenCalled();
  });

  it('shows a backend field error under the named field and a form error in an alert', async () => {
    mockApi.createFirstAdministrator
      .mockRejectedValueOnce(backendError('invalid', 'Email: not a valid address', 'email'))
      .mockRejectedValueOnce(backendError('internal', 'The vault could not be written'));
    const { user } = await renderSetup(true);

    await user.type(screen.getByLabelText(/^Username/), 'alice');
    await user.type(screen.getByLabelText(/^Full Name/), 'Alice Admin');
    await user.type(screen.getByLabelText(/^Email/), 'alice@example');
    await user.type(screen.getByLabelText(/^Password/), PASSWORD);
    await user.type(screen.getByLabelText(/^Confirm Password/), PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Create Administrator' }));

    await waitFor(() =>
      expect(screen.getByLabelText(/^Email/)).toHaveAccessibleDescription('Email: not a valid address'),
    );
    expect(screen.getByLabelText(/^Username/)).not.toHaveAccessibleDescription(/not a valid address/);
    expect(screen.queryByRole('banner')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Create Administrator' }));
    expect(await screen.findByText('The vault could not be written')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Welcome to Hostbound' })).toBeInTheDocument();
  });

  it('disables the button while saving', async () => {
    let finish: (value: ReturnType<typeof readyState>) => void = () => {};
    mockApi.createFirstAdministrator.mockReturnValue(
      new Promise((resolve) => {
        finish = resolve;
      }),
    );
    const { user } = await renderSetup(true);

    await user.type(screen.getByLabelText(/^Username/), 'alice');
    await user.type(screen.getByLabelText(/^Full Name/), 'Alice Admin');
    await user.type(screen.getByLabelText(/^Password/), PASSWORD);
    await user.type(screen.getByLabelText(/^Confirm Password/), PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Create Administrator' }));

    expect(screen.getByRole('button', { name: 'Create Administrator' })).toBeDisabled();
    finish(readyState());
    expect(await screen.findByRole('button', { name: 'Log Out' })).toBeInTheDocument();
  });

  it.each([
    ['linux', 'no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)', /started outside a desktop session/, /sudo apt install gnome-keyring/],
    ['linux', 'no answer within 5s (is the keyring locked?)', /probably locked/, /Passwords and Keys/],
    ['darwin', 'The user name or passphrase you entered is not correct.', /login Keychain/, /Keychain Access/],
    ['windows', 'The stub received bad data.', /Windows Credential Manager/, /your own Windows account/],
  ])('on %s, words "%s" for a person, the detail behind Details', async (os, problem, why, fix) => {
    await renderSetup(false, problem, os);
    const alert = screen.getByRole('alert', { name: /system keyring/ });
    expect(alert).toHaveTextContent(why);
    expect(alert).toHaveTextContent(fix);
    expect(alert).not.toHaveTextContent(problem);
  });
});

describe('explore with sample data', () => {
  it('"Explore with sample data" opens the sample, logged in, with its banner', async () => {
    mockApi.exploreSampleData.mockResolvedValue(readyState(undefined, { sample: true, sampleExists: true }));
    const { user } = await renderSetup(true);

    expect(screen.queryByRole('button', { name: 'Open sample data again' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Explore with sample data' }));

    expect(mockApi.exploreSampleData).toHaveBeenCalledTimes(1);
    expect(mockApi.createFirstAdministrator).not.toHaveBeenCalled();
    const banner = await screen.findByRole('region', { name: 'Sample data' });
    expect(banner).toHaveTextContent('Sample data — nothing here is real');
  });

  it('says that the sample is being made while it is', async () => {
    let finish: (s: AppState) => void = () => {};
    mockApi.exploreSampleData.mockReturnValue(
      new Promise((resolve) => {
        finish = resolve;
      }),
    );
    const { user } = await renderSetup(true);

    await user.click(screen.getByRole('button', { name: 'Explore with sample data' }));

    expect(screen.getByRole('status')).toHaveTextContent('Making the sample data (a few seconds)…');
    expect(screen.getByRole('button', { name: 'Explore with sample data' })).toBeDisabled();
    finish(readyState(undefined, { sample: true, sampleExists: true }));
    expect(await screen.findByRole('region', { name: 'Sample data' })).toBeInTheDocument();
  });

  it('says "Open sample data again" when a sample was made before', async () => {
    mockApi.getAppState.mockResolvedValue(makeState({ phase: 'setup', keyStorage: '', sampleExists: true }));
    renderWithProviders(<App />);
    expect(await screen.findByRole('button', { name: 'Open sample data again' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Explore with sample data' })).not.toBeInTheDocument();
  });

  it('a sample that cannot be opened says so on the setup screen', async () => {
    mockApi.exploreSampleData.mockRejectedValue(backendError('internal', 'internal error'));
    const { user } = await renderSetup(true);

    await user.click(screen.getByRole('button', { name: 'Explore with sample data' }));

    const alert = await screen.findByRole('alert', { name: 'Could not open the sample data' });
    expect(alert).toHaveTextContent('internal error');
    expect(screen.getByRole('button', { name: 'Explore with sample data' })).toBeEnabled();
  });
});
