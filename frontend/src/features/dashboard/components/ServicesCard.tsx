import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import type { DashboardView } from '../../../lib/wails';
import { useNavigate } from '../../session/navigation';

function Service({ name, status, url }: { name: string; status: DashboardView['api']; url?: (address: string) => string }) {
  return (
    <Group justify="space-between" wrap="nowrap" gap="sm" align="flex-start">
      <Stack gap={2} miw={0}>
        <Text fw={600}>{name}</Text>
        {status.running ? (
          <Text size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
            {url ? url(status.address) : status.address}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            {status.error || 'Not running'}
          </Text>
        )}
      </Stack>
      <Badge color={status.running ? 'green' : 'gray'} variant="light" style={{ flexShrink: 0 }}>
        {status.running ? 'Running' : 'Off'}
      </Badge>
    </Group>
  );
}

/** Whether the REST API and the SSH CLI are answering, and where. */
export function ServicesCard({ api, ssh }: Pick<DashboardView, 'api' | 'ssh'>) {
  const navigate = useNavigate();
  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="home-services">
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={2} size="h4" id="home-services">
            Services
          </Title>
          <Anchor component="button" size="sm" onClick={() => navigate({ page: 'settings' })}>
            Change in Settings
          </Anchor>
        </Group>
        <Service name="REST API" status={api} url={(a) => `https://${a}`} />
        <Service name="SSH CLI" status={ssh} />
      </Stack>
    </Card>
  );
}
