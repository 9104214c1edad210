import { screen } from '@testing-library/react';
import { App } from '../../../App';
import { DATA_DIR, backendError, makeState } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { mockApi, resetApiMock } from '../../../test/wailsMock';

vi.mock('../../../lib/wails');

beforeEach(() => {
  resetApiMock();
});

describe('unlock', () => {
  it('shows the error for a wrong passphrase and moves on with the right one', async () => {
    mockApi.getAppState.mockResolvedValue(makeState({ phase: 'unlock', keyStorage: 'passphrase' }));
    mockApi.unlock
      .mockRejectedValueOnce(backendError('unauthenticated', 'Wrong passphrase'))
      .mockResolvedValueOnce(makeState({ phase: 'login', keyStorage: 'passphrase' }));
    const { user } = renderWithProviders(<App />);

    expect(await screen.findByRole('heading', { name: 'Unlock Hostbound' })).toBeInTheDocument();
    expect(screen.getByText(/protected with a passphrase/)).toBeInTheDocument();
    expect(screen.getByLabelText(/^Passphrase/)).toHaveFocus();

    await user.type(screen.getByLabelText(/^Passphrase/), 'wrong passphrase{Enter}');
    expect(mockApi.unlock).toHaveBeenLastCalledWith('wrong passphrase');
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong passphrase');
    expect(screen.getByRole('heading', { name: 'Unlock Hostbound' })).toBeInTheDocument();

    await user.clear(screen.getByLabelText(/^Passphrase/));
    await user.type(screen.getByLabelText(/^Passphrase/), 'the right passphrase');
    await user.click(screen.getByRole('button', { name: 'Unlock' }));

    expect(mockApi.unlock).toHaveBeenLastCalledWith('the right passphrase');
    expect(await screen.findByRole('heading', { name: 'Log in to Hostbound' })).toBeInTheDocument();
  });

  it('shows a passphrase field error under the field', async () => {
    mockApi.getAppState.mockResolvedValue(makeState({ phase: 'unlock', keyStorage: 'passphrase' }));
    mockApi.unlock.mockRejectedValue(backendError('invalid', 'Passphrase is required', 'passphrase'));
    const { user } = renderWithProviders(<App />);

    await user.type(await screen.findByLabelText(/^Passphrase/), ' {Enter}');

    expect(await screen.findByLabelText(/^Passphrase/)).toHaveAccessibleDescription('Passphrase is required');
  });
});

describe('locked', () => {
  it('shows the reason and the data directory, and tries again', async () => {
    mockApi.getAppState
      .mockResolvedValueOnce(
        makeState({
          phase: 'locked',
          lockedReason: 'The master key in the OS keyring does not open this vault.',
        }),
      )
      .mockResolvedValueOnce(makeState({ phase: 'login' }));
    const { user } = renderWithProviders(<App />);

    expect(await screen.findByRole('heading', { name: 'Hostbound is locked' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'The master key in the OS keyring does not open this vault.',
    );
    expect(screen.getByText(/Your data was left untouched/)).toBeInTheDocument();
    expect(screen.getByText(DATA_DIR)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Try Again' }));

    expect(mockApi.getAppState).toHaveBeenCalledTimes(2);
    expect(await screen.findByRole('heading', { name: 'Log in to Hostbound' })).toBeInTheDocument();
  });

  it('stays locked and says so when trying again fails', async () => {
    mockApi.getAppState
      .mockResolvedValueOnce(makeState({ phase: 'locked', lockedReason: 'Hostbound is already running.' }))
      .mockRejectedValueOnce(backendError('locked', 'Hostbound is already running.'));
    const { user } = renderWithProviders(<App />);

    await user.click(await screen.findByRole('button', { name: 'Try Again' }));

    expect(await screen.findAllByRole('alert')).toHaveLength(2);
    expect(screen.getByRole('heading', { name: 'Hostbound is locked' })).toBeInTheDocument();
  });

  it('explains a failed start', async () => {
    mockApi.getAppState.mockRejectedValueOnce('the backend is not reachable').mockResolvedValueOnce(makeState());
    const { user } = renderWithProviders(<App />);

    expect(await screen.findByRole('heading', { name: 'Hostbound could not start' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('the backend is not reachable');

    await user.click(screen.getByRole('button', { name: 'Try Again' }));
    expect(await screen.findByRole('heading', { name: 'Log in to Hostbound' })).toBeInTheDocument();
  });
});
