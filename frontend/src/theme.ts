import { createTheme, type CSSVariablesResolver } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 8 under white text and as text on white: 4.5:1 or better (WCAG AA;
  // indigo.6 is 4.3:1).
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: 'md',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  headings: { fontWeight: '650' },
  components: {
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
    Drawer: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
  },
});

// Text that must stay readable, in both schemes (axe-core's color-contrast
// rule, 4.5:1): Mantine's dimmed grays are 3.3:1 on white and 3.5:1 on the
// dark cards, its error red 3.3:1; light-variant labels (badges, alerts, the
// current page in the navigation) get the palest background and, where the
// palette's darkest shade is still under 4.5:1 on it, a darker text.
const LIGHT_VARIANT_COLORS = ['indigo', 'blue', 'green', 'teal', 'red', 'orange', 'yellow', 'grape', 'gray', 'violet', 'cyan'];
const DARKER_TEXT: Record<string, string> = {
  green: '#1f6e33',
  teal: '#06654a',
  orange: '#a33c0a',
  yellow: '#7a4f00',
};

export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': t.colors.gray[7],
    '--mantine-color-error': t.colors.red[9],
    ...Object.fromEntries(
      LIGHT_VARIANT_COLORS.flatMap((c) => [
        [`--mantine-color-${c}-light`, t.colors[c][0]],
        [`--mantine-color-${c}-light-hover`, t.colors[c][1]],
        [`--mantine-color-${c}-light-color`, DARKER_TEXT[c] ?? t.colors[c][9]],
      ]),
    ),
  },
  dark: {
    '--mantine-color-dimmed': t.colors.dark[1],
    '--mantine-color-error': t.colors.red[4],
    ...Object.fromEntries(LIGHT_VARIANT_COLORS.map((c) => [`--mantine-color-${c}-light-color`, t.colors[c][2]])),
  },
});
