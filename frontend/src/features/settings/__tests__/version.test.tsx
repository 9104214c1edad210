import { screen, within } from '@testing-library/react';
import { App } from '../../../App';
import { alice, readyState } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { mockApi, resetApiMock } from '../../../test/wailsMock';

vi.mock('../../../lib/wails');

beforeEach(() => {
  resetApiMock();
});

describe('Settings: version', () => {
  it('shows the version the binary was built with', async () => {
    mockApi.getAppState.mockResolvedValue(readyState(alice, { version: '1.2.3+abc1234' }));
    const view = renderWithProviders(<App />);
    const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
    await view.user.click(within(nav).getByRole('button', { name: 'Settings' }));
    const th = await screen.findByRole('rowheader', { name: 'Version' });
    expect(th.nextElementSibling).toHaveTextContent('Hostbound 1.2.3+abc1234');
  });
});
