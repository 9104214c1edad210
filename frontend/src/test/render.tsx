import { MantineProvider } from '@mantine/core';
import { render, type RenderOptions } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement, ReactNode } from 'react';
import { theme } from '../theme';

function Providers({ children }: { children: ReactNode }) {
  return (
    <MantineProvider theme={theme} env="test">
      {children}
    </MantineProvider>
  );
}

/** Renders ui inside MantineProvider and returns a user-event instance with it. */
export function renderWithProviders(
  ui: ReactElement,
  options: Omit<RenderOptions, 'wrapper'> & { user?: Parameters<typeof userEvent.setup>[0] } = {},
) {
  const { user: userOptions, ...renderOptions } = options;
  // delay: null types without a timer between keys (fast, and safe with fake timers).
  const user = userEvent.setup({ delay: null, ...userOptions });
  return { user, ...render(ui, { wrapper: Providers, ...renderOptions }) };
}
