import { Card, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useLoad } from '../../../hooks/useLoad';
import { auditApi, type Operator } from '../../../lib/wails';
import { ActivityCard } from './ActivityCard';
import { GettingStartedCard } from './GettingStartedCard';
import { KeyFigures } from './KeyFigures';
import { RecentRefusals } from './RecentRefusals';
import { ServicesCard } from './ServicesCard';

/** Access scope as PMP words it. */
export function scopeLabel(scope: string): string {
  switch (scope) {
    case 'all':
      return 'All Passwords';
    case 'owned_shared':
      return 'Passwords Owned and Shared';
    default:
      return scope;
  }
}

/** How often Home refreshes its figures while it is open. */
const REFRESH_MS = 30_000;

/** The dashboard: API users and keys by status, the services, calls and refusals. */
export function HomeScreen({ operator }: { operator: Operator }) {
  const dashboard = useLoad(auditApi.getDashboard, []);
  const { reload } = dashboard;
  useEffect(() => {
    const t = window.setInterval(reload, REFRESH_MS);
    return () => window.clearInterval(t);
  }, [reload]);
  // While a refresh runs, the last figures stay on screen.
  const view = dashboard.data;

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1} size="h2">
          Home
        </Title>
        <Title order={2} size="h4" fw={500}>
          Welcome, {operator.fullName}
        </Title>
        <Text c="dimmed" size="sm">
          {operator.roleName} · {scopeLabel(operator.scope)}
        </Text>
      </Stack>
      <ErrorAlert title="Could not load the figures" message={dashboard.error?.message} />
      {!view && !dashboard.error && (
        <Group gap="sm">
          <Loader size="sm" />
          <Text size="sm">Loading the figures…</Text>
        </Group>
      )}
      {view && (
        <>
          {view.gettingStarted && <GettingStartedCard start={view.gettingStarted} apiError={view.api.error} />}
          {view.keys && (
            <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="home-keys">
              <Stack gap="md">
                <Title order={2} size="h4" id="home-keys">
                  API users and keys
                </Title>
                <KeyFigures keys={view.keys} />
              </Stack>
            </Card>
          )}
          <SimpleGrid cols={{ base: 1, md: 3 }} spacing="lg">
            <div style={{ gridColumn: view.activity ? 'span 2' : undefined }}>
              {view.activity ? <ActivityCard activity={view.activity} /> : <ServicesCard api={view.api} ssh={view.ssh} />}
            </div>
            {view.activity && <ServicesCard api={view.api} ssh={view.ssh} />}
          </SimpleGrid>
          {view.activity && <RecentRefusals refusals={view.activity.refusals} />}
        </>
      )}
    </Stack>
  );
}
