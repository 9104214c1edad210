import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { theme } from '../../theme';
import { ColorSchemeSwitch } from '../ColorSchemeSwitch';

// Mantine's default color scheme manager: localStorage under this key.
const STORAGE_KEY = 'mantine-color-scheme-value';

function renderSwitch() {
  return render(
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <ColorSchemeSwitch />
    </MantineProvider>,
  );
}

describe('ColorSchemeSwitch', () => {
  beforeEach(() => localStorage.clear());

  it('switches the scheme and remembers it across a restart', async () => {
    const user = userEvent.setup();
    const first = renderSwitch();
    expect(screen.getByRole('radio', { name: 'Auto' })).toBeChecked();

    await user.click(screen.getByRole('radio', { name: 'Dark' }));
    expect(document.documentElement).toHaveAttribute('data-mantine-color-scheme', 'dark');
    expect(localStorage.getItem(STORAGE_KEY)).toBe('dark');

    first.unmount(); // the app closes; it opens again with the choice
    renderSwitch();
    expect(screen.getByRole('radio', { name: 'Dark' })).toBeChecked();
    expect(screen.getByRole('radiogroup', { name: 'Color scheme' })).toBeInTheDocument();

    await user.click(screen.getByRole('radio', { name: 'Light' }));
    expect(document.documentElement).toHaveAttribute('data-mantine-color-scheme', 'light');
    expect(localStorage.getItem(STORAGE_KEY)).toBe('light');
  });
});
