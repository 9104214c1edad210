import { screen, within } from '@testing-library/react';
import { App } from '../../../App';
import type { Operator } from '../../../lib/wails';
import { alice, readyState } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { mockApi } from '../../../test/wailsMock';

/** Logs in as operator (alice by default) and opens the Users screen. */
export async function openUsers(operator: Operator = alice) {
  mockApi.getAppState.mockResolvedValue(readyState(operator));
  const view = renderWithProviders(<App />);
  const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
  await view.user.click(within(nav).getByRole('button', { name: 'Users' }));
  await screen.findByRole('heading', { name: 'Users' });
  return view;
}

/** Opens Add User >> Add API User and waits for the form. */
export async function openAddAPIUser(user: ReturnType<typeof renderWithProviders>['user']) {
  await user.click(await screen.findByRole('button', { name: 'Add User' }, { timeout: 3000 }));
  await user.click(await screen.findByRole('menuitem', { name: 'Add API User' }));
  return screen.findByRole('dialog', { name: 'Add API User' });
}

/** Replaces navigator.clipboard (after userEvent.setup, which installs its own). */
export function mockClipboard() {
  const writeText = vi.fn<(text: string) => Promise<void>>().mockResolvedValue(undefined);
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true, writable: true });
  return writeText;
}
