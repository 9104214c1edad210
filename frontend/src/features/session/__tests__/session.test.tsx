import { act, fireEvent, screen, within } from '@testing-library/react';
import { App } from '../../../App';
import { backendError, makeState, readyState } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { mockApi, resetApiMock } from '../../../test/wailsMock';

vi.mock('../../../lib/wails');

const INACTIVITY = 'Your session ended after 15 minutes of inactivity.';

beforeEach(() => {
  resetApiMock();
  mockApi.getAppState.mockResolvedValue(readyState());
});

afterEach(() => {
  vi.useRealTimers();
});

async function renderReady(options?: Parameters<typeof renderWithProviders>[1]) {
  const view = renderWithProviders(<App />, options);
  await screen.findByRole('heading', { name: 'Welcome, Alice Admin' });
  return view;
}

describe('logged in', () => {
  it('Log Out returns to the login screen without a notice', async () => {
    mockApi.logOut.mockResolvedValue(makeState({ phase: 'login' }));
    const { user } = await renderReady();

    await user.click(within(screen.getByRole('banner')).getByRole('button', { name: 'Log Out' }));

    expect(mockApi.logOut).toHaveBeenCalledTimes(1);
    expect(await screen.findByRole('heading', { name: 'Log in to Hostbound' })).toBeInTheDocument();
    expect(screen.queryByText(INACTIVITY)).not.toBeInTheDocument();
    expect(screen.queryByRole('banner')).not.toBeInTheDocument();
  });

  it('Settings shows the security information', async () => {
    const { user } = await renderReady();
    expect(screen.getByText('Privileged Administrator · All Passwords')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Settings' }));

    expect(await screen.findByRole('cell', { name: 'OS keyring (Secret Service)' })).toBeInTheDocument();
    expect(mockApi.getSecurityInfo).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('rowheader', { name: 'Master key storage' })).toBeInTheDocument();
    expect(screen.getByText('/home/test/.config/hostbound/hostbound.log')).toBeInTheDocument();
    expect(screen.getByRole('cell', { name: '1.5 MB' })).toBeInTheDocument();
    expect(screen.getByRole('cell', { name: '12,345 (never deleted by Hostbound)' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Settings' })).toHaveAttribute('aria-current', 'page');

    await user.click(screen.getByRole('button', { name: 'Home' }));
    expect(screen.getByRole('heading', { name: 'Welcome, Alice Admin' })).toBeInTheDocument();
  });

  it('a call failing with session_expired goes to login with the inactivity notice', async () => {
    mockApi.getSecurityInfo.mockRejectedValue(backendError('session_expired', 'Your session has expired'));
    const { user } = await renderReady();

    await user.click(screen.getByRole('button', { name: 'Settings' }));

    expect(await screen.findByRole('heading', { name: 'Log in to Hostbound' })).toBeInTheDocument();
    expect(screen.getByText(INACTIVITY)).toBeInTheDocument();

    // The notice goes away once the operator is back in.
    mockApi.logIn.mockResolvedValue(readyState());
    await user.type(screen.getByLabelText(/^Username/), 'alice');
    await user.type(screen.getByLabelText(/^Password/), 'correct horse battery{Enter}');
    expect(await screen.findByRole('heading', { name: 'Welcome, Alice Admin' })).toBeInTheDocument();
    expect(screen.queryByText(INACTIVITY)).not.toBeInTheDocument();
  });

  it('logs out after the idle timeout and shows the inactivity notice', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    await renderReady({ user: { advanceTimers: vi.advanceTimersByTime } });

    await act(async () => {
      vi.advanceTimersByTime(899_000);
    });
    expect(mockApi.logOut).not.toHaveBeenCalled();

    await act(async () => {
      vi.advanceTimersByTime(2_000);
    });
    expect(mockApi.logOut).toHaveBeenCalledTimes(1);
    expect(await screen.findByText(INACTIVITY)).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Log in to Hostbound' })).toBeInTheDocument();
  });

  it('activity postpones the idle timeout and sends KeepAlive at most once a minute', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    await renderReady();

    fireEvent.keyDown(document.body, { key: 'a' });
    expect(mockApi.keepAlive).not.toHaveBeenCalled();

    await act(async () => {
      vi.advanceTimersByTime(61_000);
    });
    fireEvent.mouseMove(document.body);
    fireEvent.click(document.body);
    fireEvent.scroll(window);
    expect(mockApi.keepAlive).toHaveBeenCalledTimes(1);

    // 15 minutes after login, but only 14 since the last activity: still in.
    await act(async () => {
      vi.advanceTimersByTime(840_000);
    });
    expect(mockApi.logOut).not.toHaveBeenCalled();
    expect(screen.getByRole('banner')).toBeInTheDocument();

    await act(async () => {
      vi.advanceTimersByTime(61_000);
    });
    expect(mockApi.logOut).toHaveBeenCalledTimes(1);
    expect(await screen.findByText(INACTIVITY)).toBeInTheDocument();
  });

  it('a KeepAlive failing with session_expired goes to login with the notice', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    mockApi.keepAlive.mockRejectedValue(backendError('session_expired', 'Your session has expired'));
    await renderReady();

    await act(async () => {
      vi.advanceTimersByTime(60_000);
    });
    fireEvent.keyDown(document.body, { key: 'a' });

    expect(await screen.findByText(INACTIVITY)).toBeInTheDocument();
    expect(mockApi.logOut).not.toHaveBeenCalled();
  });
});
