import { AppShell, Badge, Burger, Button, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { BrandMark } from '../../../components/BrandMark';
import type { Operator } from '../../../lib/wails';
import { HomeScreen } from '../../dashboard/components/HomeScreen';
import { SettingsScreen } from '../../settings/components/SettingsScreen';
import { useSession } from '../useSession';

type Page = 'home' | 'settings';

const PAGES: { id: Page; label: string }[] = [
  { id: 'home', label: 'Home' },
  { id: 'settings', label: 'Settings' },
];

/** The logged-in app: header with the operator, navigation, the current page. */
export function AppLayout({ operator }: { operator: Operator }) {
  const { logOut } = useSession();
  const [page, setPage] = useState<Page>('home');
  const [navOpened, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  const [loggingOut, setLoggingOut] = useState(false);

  const onLogOut = async () => {
    setLoggingOut(true);
    try {
      await logOut('user');
    } finally {
      setLoggingOut(false);
    }
  };

  return (
    <AppShell
      header={{ height: 64 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navOpened}
              onClick={toggleNav}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <BrandMark size={32} />
            <Title order={2} size="h3">
              Hostbound
            </Title>
          </Group>
          <Group gap="md" wrap="nowrap">
            <Stack gap={0} align="flex-end" visibleFrom="xs">
              <Text fw={600} size="sm" lh={1.3}>
                {operator.fullName}
              </Text>
              <Text c="dimmed" size="xs" lh={1.3}>
                {operator.roleName}
              </Text>
            </Stack>
            {operator.superAdmin && (
              <Badge color="grape" variant="light" visibleFrom="sm">
                Super Administrator
              </Badge>
            )}
            <Button variant="default" onClick={onLogOut} loading={loggingOut} disabled={loggingOut}>
              Log Out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" component="nav" aria-label="Main navigation">
        {PAGES.map((p) => (
          <NavLink
            key={p.id}
            component="button"
            type="button"
            label={p.label}
            active={page === p.id}
            aria-current={page === p.id ? 'page' : undefined}
            onClick={() => {
              setPage(p.id);
              closeNav();
            }}
          />
        ))}
      </AppShell.Navbar>

      <AppShell.Main>
        {page === 'home' ? <HomeScreen operator={operator} /> : <SettingsScreen />}
      </AppShell.Main>
    </AppShell>
  );
}
