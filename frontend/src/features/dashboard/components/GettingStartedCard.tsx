import { Anchor, Button, Card, Code, Group, List, Stack, Text, Title } from '@mantine/core';
import { CopyButton } from '../../../components/CopyButton';
import type { DashboardView } from '../../../lib/wails';
import { useNavigate } from '../../session/navigation';

type GettingStarted = NonNullable<DashboardView['gettingStarted']>;

const EXPORT_KEY = "export HOSTBOUND_KEY='paste the API key here'";

/** First run: add an API user, share a resource, fetch it with curl from this machine. */
export function GettingStartedCard({ start, apiError }: { start: GettingStarted; apiError: string }) {
  const navigate = useNavigate();
  const script = `${EXPORT_KEY}\n${start.command}`;
  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="home-getting-started">
      <Stack gap="md">
        <Stack gap={4}>
          <Title order={2} size="h3" id="home-getting-started">
            Getting started
          </Title>
          <Text size="sm" c="dimmed">
            Three steps from an empty vault to a script that fetches a password.
          </Text>
        </Stack>
        <List type="ordered" spacing="md" styles={{ itemWrapper: { width: '100%' }, itemLabel: { width: '100%' } }}>
          <List.Item>
            <Group justify="space-between" wrap="wrap" gap="xs">
              <Text size="sm">
                <strong>Add an API user</strong> for the host whose scripts will fetch passwords, and keep its key.
              </Text>
              <Button size="xs" variant="light" onClick={() => navigate({ page: 'users' })}>
                Go to Users
              </Button>
            </Group>
          </List.Item>
          <List.Item>
            <Group justify="space-between" wrap="wrap" gap="xs">
              <Text size="sm">
                <strong>Share a resource</strong> with it{' '}
                {start.resources === 0
                  ? '(add one first: a server or database and the account whose password the script needs).'
                  : `(you have ${start.resources} ${start.resources === 1 ? 'resource' : 'resources'}).`}
              </Text>
              <Button size="xs" variant="light" onClick={() => navigate({ page: 'resources' })}>
                Go to Resources
              </Button>
            </Group>
          </List.Item>
          <List.Item>
            <Stack gap="xs">
              <Text size="sm">
                <strong>Fetch it with curl</strong>
                {start.example ? ` (${start.example})` : ''} on this machine, for an API user bound to localhost:
              </Text>
              {start.command ? (
                <>
                  <Code block aria-label="curl command" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                    {script}
                  </Code>
                  <Group gap="sm" wrap="nowrap" align="flex-start">
                    <div style={{ flexShrink: 0 }}>
                      <CopyButton size="xs" getText={() => script} />
                    </div>
                    <Text size="xs" c="dimmed">
                      <Code>-k</Code> skips the certificate authority check (the certificate is self-signed);{' '}
                      <Code>--pinnedpubkey</Code> checks that the answer comes from this server's own key instead. From
                      another host, use this machine's address instead of the one above.
                    </Text>
                  </Group>
                </>
              ) : (
                <Text size="sm" c="dimmed">
                  {apiError ? (
                    <>
                      The REST API is not running ({apiError}).{' '}
                      <Anchor component="button" size="sm" onClick={() => navigate({ page: 'settings' })}>
                        Open Settings
                      </Anchor>
                    </>
                  ) : (
                    'Ask an administrator for the REST API address and its certificate.'
                  )}
                </Text>
              )}
            </Stack>
          </List.Item>
        </List>
      </Stack>
    </Card>
  );
}
