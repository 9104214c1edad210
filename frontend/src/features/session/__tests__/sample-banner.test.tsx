import { screen, within } from '@testing-library/react';
import { App } from '../../../App';
import { backendError, makeState, readyState } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { mockApi, resetApiMock } from '../../../test/wailsMock';

vi.mock('../../../lib/wails');

const SAMPLE = readyState(undefined, { sample: true, sampleExists: true, dataDir: '/home/alice/.config/hostbound sample data' });
const SETUP_AFTER = (sampleExists: boolean) => makeState({ phase: 'setup', keyStorage: '', sampleExists });

beforeEach(() => {
  resetApiMock();
  // The sample's two calls have no defaults in resetApiMock.
  mockApi.exploreSampleData.mockReset();
  mockApi.leaveSampleData.mockReset();
});

async function renderSample() {
  mockApi.getAppState.mockResolvedValue(SAMPLE);
  const view = renderWithProviders(<App />);
  const banner = await screen.findByRole('region', { name: 'Sample data' });
  return { ...view, banner };
}

describe('the sample data banner', () => {
  it('shows across the logged-in app with both actions', async () => {
    const { banner } = await renderSample();
    expect(banner).toHaveTextContent('Sample data — nothing here is real');
    expect(within(banner).getByRole('button', { name: 'Discard sample data' })).toBeEnabled();
    expect(within(banner).getByRole('button', { name: 'Leave' })).toBeEnabled();
  });

  it('is not there over real data', async () => {
    mockApi.getAppState.mockResolvedValue(readyState());
    renderWithProviders(<App />);
    await screen.findByRole('button', { name: 'Log Out' });
    expect(screen.queryByRole('region', { name: 'Sample data' })).not.toBeInTheDocument();
    expect(screen.queryByText('Sample data — nothing here is real')).not.toBeInTheDocument();
  });

  it('Leave keeps the sample, back on the setup screen, in one click', async () => {
    mockApi.leaveSampleData.mockResolvedValue(SETUP_AFTER(true));
    const { user, banner } = await renderSample();

    await user.click(within(banner).getByRole('button', { name: 'Leave' }));

    expect(mockApi.leaveSampleData).toHaveBeenCalledExactlyOnceWith(false);
    expect(await screen.findByRole('heading', { name: 'Welcome to Hostbound' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Open sample data again' })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Sample data' })).not.toBeInTheDocument();
  });

  it('Discard deletes the sample, back on the setup screen, in one click', async () => {
    mockApi.leaveSampleData.mockResolvedValue(SETUP_AFTER(false));
    const { user, banner } = await renderSample();

    await user.click(within(banner).getByRole('button', { name: 'Discard sample data' }));

    expect(mockApi.leaveSampleData).toHaveBeenCalledExactlyOnceWith(true);
    expect(await screen.findByRole('heading', { name: 'Welcome to Hostbound' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Explore with sample data' })).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('a failure to leave shows in the banner, which stays', async () => {
    mockApi.leaveSampleData.mockRejectedValue(backendError('internal', 'internal error'));
    const { user, banner } = await renderSample();

    await user.click(within(banner).getByRole('button', { name: 'Leave' }));

    expect(await within(banner).findByRole('alert', { name: 'Could not leave the sample data' })).toHaveTextContent('internal error');
    expect(within(banner).getByRole('button', { name: 'Leave' })).toBeEnabled();
  });
});
