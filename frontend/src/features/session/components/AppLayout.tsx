import { AppShell, Badge, Burger, Button, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useCallback, useState } from 'react';
import { BrandMark } from '../../../components/BrandMark';
import { ColorSchemeSwitch } from '../../../components/ColorSchemeSwitch';
import type { Operator } from '../../../lib/wails';
import { AuditIntegrityProvider } from '../../audit/components/AuditIntegrityProvider';
import { AuditScreen } from '../../audit/components/AuditScreen';
import { IntegrityBanner } from '../../audit/components/IntegrityBanner';
import { canViewAudit, canViewReports } from '../../audit/permissions';
import { HomeScreen } from '../../dashboard/components/HomeScreen';
import { ExpiringKeysBanner } from '../../reports/components/ExpiringKeysBanner';
import { ReportsScreen } from '../../reports/components/ReportsScreen';
import { ResourcesScreen } from '../../resources/components/ResourcesScreen';
import { canSeeResources } from '../../resources/permissions';
import { RolesScreen } from '../../roles/components/RolesScreen';
import { SettingsScreen } from '../../settings/components/SettingsScreen';
import { UsersScreen } from '../../users/components/UsersScreen';
import { canManageRoles, canSeeUsers } from '../../users/permissions';
import { NavigationContext, type NavTarget, type Page } from '../navigation';
import { useSession } from '../useSession';
import { SampleBanner } from './SampleBanner';

const PAGES: { id: Page; label: string; shown: (op: Operator) => boolean }[] = [
  { id: 'home', label: 'Home', shown: () => true },
  { id: 'resources', label: 'Resources', shown: canSeeResources },
  { id: 'users', label: 'Users', shown: canSeeUsers },
  { id: 'roles', label: 'Roles', shown: canManageRoles },
  { id: 'audit', label: 'Audit', shown: canViewAudit },
  { id: 'reports', label: 'Reports', shown: canViewReports },
  { id: 'settings', label: 'Settings', shown: () => true },
];

function PageContent({ target, operator }: { target: NavTarget; operator: Operator }) {
  switch (target.page) {
    case 'resources':
      return <ResourcesScreen operator={operator} />;
    case 'users':
      return <UsersScreen operator={operator} initialFilter={target.users} />;
    case 'roles':
      return <RolesScreen operator={operator} />;
    case 'audit':
      return <AuditScreen initialFilter={target.audit} />;
    case 'reports':
      return <ReportsScreen />;
    case 'settings':
      return <SettingsScreen operator={operator} />;
    default:
      return <HomeScreen operator={operator} />;
  }
}

/** The logged-in app: header with the operator, navigation, the current page. */
export function AppLayout({ operator }: { operator: Operator }) {
  const { logOut } = useSession();
  // visit counts navigations, so that a second link to the same list
  // (another filter) opens it afresh.
  const [selected, setSelected] = useState<{ target: NavTarget; visit: number }>({
    target: { page: 'home' },
    visit: 0,
  });
  const navigate = useCallback(
    (target: NavTarget) => setSelected((s) => ({ target, visit: s.visit + 1 })),
    [],
  );
  const pages = PAGES.filter((p) => p.shown(operator));
  // A page the operator may no longer see (their role changed) falls back to Home.
  const target: NavTarget = pages.some((p) => p.id === selected.target.page) ? selected.target : { page: 'home' };
  const page = target.page;
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
            <ColorSchemeSwitch />
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
        {pages.map((p) => (
          <NavLink
            key={p.id}
            component="button"
            type="button"
            label={p.label}
            active={page === p.id}
            aria-current={page === p.id ? 'page' : undefined}
            onClick={() => {
              navigate({ page: p.id });
              closeNav();
            }}
          />
        ))}
      </AppShell.Navbar>

      <AppShell.Main>
        <NavigationContext.Provider value={navigate}>
          <AuditIntegrityProvider>
            <SampleBanner />
            <IntegrityBanner />
            <ExpiringKeysBanner operator={operator} />
            <PageContent key={selected.visit} target={target} operator={operator} />
          </AuditIntegrityProvider>
        </NavigationContext.Provider>
      </AppShell.Main>
    </AppShell>
  );
}
