import { screen, waitFor, within } from '@testing-library/react';
import { App } from '../../../App';
import type { Operator } from '../../../lib/wails';
import { alice, backendError, bob, readyState } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { mockVault } from '../../../test/vaultMock';
import { mockApi, resetApiMock } from '../../../test/wailsMock';

vi.mock('../../../lib/wails');

beforeEach(() => {
  resetApiMock();
});

/** Opens Settings and returns the API keys card once the validity is loaded. */
async function openKeyValidity(operator: Operator = alice) {
  mockApi.getAppState.mockResolvedValue(readyState(operator));
  const view = renderWithProviders(<App />);
  const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
  await view.user.click(within(nav).getByRole('button', { name: 'Settings' }));
  const card = await screen.findByRole('region', { name: 'API keys' });
  const field = await within(card).findByLabelText('Default key validity');
  return { ...view, card, field };
}

describe('Settings: Default key validity', () => {
  it('shows the validity loaded from the backend, 90 days by default', async () => {
    const { field } = await openKeyValidity();
    expect(mockVault.getKeyValidity).toHaveBeenCalled();
    expect(field).toHaveValue('90');
    expect(field).toHaveAccessibleDescription(expect.stringContaining('a whole number of days from 1 to 3650'));
  });

  it('saves 30 days', async () => {
    const { card, field, user } = await openKeyValidity();
    await user.clear(field);
    await user.type(field, '30');
    await user.click(within(card).getByRole('button', { name: 'Save' }));

    expect(mockVault.saveKeyValidity).toHaveBeenCalledWith(30);
    expect(await within(card).findByRole('status')).toHaveTextContent('Default key validity saved: 30 days.');
    expect(field).toHaveValue('30');
  });

  it('shows the backend refusal under the field and focuses it', async () => {
    mockVault.saveKeyValidity.mockRejectedValueOnce(
      backendError('invalid', 'Default key validity: a whole number of days from 1 to 3650', 'keyValidityDays'),
    );
    const { card, field, user } = await openKeyValidity();
    await user.clear(field);
    await user.type(field, '5000');
    // Not clamped to 3650 on blur: the backend says what is wrong.
    await user.click(within(card).getByRole('button', { name: 'Save' }));

    expect(mockVault.saveKeyValidity).toHaveBeenCalledWith(5000);
    await waitFor(() =>
      expect(field).toHaveAccessibleDescription(
        expect.stringContaining('Default key validity: a whole number of days from 1 to 3650'),
      ),
    );
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(document.activeElement).toBe(field);
    expect(within(card).queryByRole('status')).not.toBeInTheDocument();
    // Not also as a form-level alert.
    expect(within(card).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('takes digits only and refuses an empty field before asking the backend', async () => {
    const { card, field, user } = await openKeyValidity();
    await user.clear(field);
    await user.type(field, 'abc-1.5');
    expect(field).toHaveValue('15');

    await user.clear(field);
    await user.click(within(card).getByRole('button', { name: 'Save' }));
    expect(field).toHaveAccessibleDescription(expect.stringContaining('Default key validity: a whole number of days from 1 to 3650'));
    expect(document.activeElement).toBe(field);
    expect(mockVault.saveKeyValidity).not.toHaveBeenCalled();
  });

  it('is read-only without settings.manage', async () => {
    const { card, field } = await openKeyValidity(bob);
    expect(field).toHaveValue('90');
    expect(field).toBeDisabled();
    expect(within(card).getByRole('button', { name: 'Save' })).toBeDisabled();
    expect(within(card).getByText('Only operators who may manage security settings can change it.')).toBeInTheDocument();
  });
});
