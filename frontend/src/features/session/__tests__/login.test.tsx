import { screen, within } from '@testing-library/react';
import { App } from '../../../App';
import { alice, backendError, makeState, readyState } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { mockApi, resetApiMock } from '../../../test/wailsMock';

vi.mock('../../../lib/wails');

beforeEach(() => {
  resetApiMock();
  mockApi.getAppState.mockResolvedValue(makeState({ phase: 'login' }));
});

async function renderLogin() {
  const view = renderWithProviders(<App />);
  await screen.findByRole('heading', { name: 'Log in to Hostbound' });
  return view;
}

describe('login', () => {
  it('logs in with Enter and shows the dashboard for the operator', async () => {
    mockApi.logIn.mockResolvedValue(readyState({ ...alice, scope: 'owned_shared', superAdmin: false }));
    const { user } = await renderLogin();

    expect(screen.getByLabelText(/^Username/)).toHaveFocus();
    await user.type(screen.getByLabelText(/^Username/), 'alice');
    await user.type(screen.getByLabelText(/^Password/), 'correct horse battery{Enter}');

    expect(mockApi.logIn).toHaveBeenCalledWith('alice', 'correct horse battery');
    expect(await screen.findByRole('heading', { name: 'Welcome, Alice Admin' })).toBeInTheDocument();
    const header = screen.getByRole('banner');
    expect(within(header).getByText('Privileged Administrator')).toBeInTheDocument();
    expect(within(header).queryByText('Super Administrator')).not.toBeInTheDocument();
    expect(screen.getByText('Privileged Administrator · Passwords Owned and Shared')).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).getAllByRole('button').map((b) => b.textContent)).toEqual(['Home', 'Resources', 'Users', 'Roles', 'Audit', 'Reports', 'Settings']);
  });

  it('shows the backend message for a wrong password', async () => {
    mockApi.logIn.mockRejectedValue(backendError('unauthenticated', 'Wrong username or password'));
    const { user } = await renderLogin();

    await user.type(screen.getByLabelText(/^Username/), 'alice');
    await user.type(screen.getByLabelText(/^Password/), 'not the password');
    await user.click(screen.getByRole('button', { name: 'Log In' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password');
    expect(screen.getByRole('heading', { name: 'Log in to Hostbound' })).toBeInTheDocument();
    expect(screen.getByLabelText(/^Password/)).toHaveValue('');
  });

  it('shows the lockout message', async () => {
    mockApi.logIn.mockRejectedValue(
      backendError('rate_limited', 'Too many failed logins for alice. Try again in 5 minutes.'),
    );
    const { user } = await renderLogin();

    await user.type(screen.getByLabelText(/^Username/), 'alice');
    await user.type(screen.getByLabelText(/^Password/), 'guess number six{Enter}');

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Too many failed logins for alice. Try again in 5 minutes.',
    );
  });

  it('asks for username and password before calling the backend', async () => {
    const { user } = await renderLogin();

    await user.click(screen.getByRole('button', { name: 'Log In' }));

    expect(screen.getByLabelText(/^Username/)).toHaveAccessibleDescription('Username is required');
    expect(screen.getByLabelText(/^Password/)).toHaveAccessibleDescription('Password is required');
    expect(mockApi.logIn).not.toHaveBeenCalled();
  });
});
