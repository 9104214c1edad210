import { Anchor, Card, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import type { RecentRefusal } from '../../../lib/wails';
import { formatDateTimeSeconds } from '../../audit/format';
import { useNavigate } from '../../session/navigation';

interface HostRefusals {
  source: string;
  count: number;
  last: RecentRefusal;
}

/** The last refusals grouped by the address they came from, most recent first. */
export function byHost(refusals: RecentRefusal[]): HostRefusals[] {
  const hosts = new Map<string, HostRefusals>();
  for (const r of refusals) {
    const h = hosts.get(r.source);
    if (h) h.count++;
    else hosts.set(r.source, { source: r.source, count: 1, last: r });
  }
  return [...hosts.values()];
}

/** The last refused requests by host with their reason; a host opens its refusals in the audit trail. */
export function RecentRefusals({ refusals }: { refusals: RecentRefusal[] }) {
  const navigate = useNavigate();
  const hosts = byHost(refusals);
  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="home-refusals">
      <Stack gap="sm">
        <Title order={2} size="h4" id="home-refusals">
          Last refusals by host
        </Title>
        {hosts.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing has been refused.
          </Text>
        ) : (
          <Table layout="fixed" verticalSpacing={6} aria-labelledby="home-refusals">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w="24%">Host</Table.Th>
                <Table.Th w={80}>Refusals</Table.Th>
                <Table.Th>Last reason</Table.Th>
                <Table.Th w={190}>Last at</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {hosts.map((h) => (
                <Table.Tr key={h.source}>
                  <Table.Td>
                    <Anchor
                      component="button"
                      onClick={() => navigate({ page: 'audit', audit: { source: h.source, result: 'failure' } })}
                      aria-label={`${h.source || 'unknown address'}: open its refusals in the audit trail`}
                      ff="monospace"
                      size="sm"
                      ta="left"
                      style={{ overflowWrap: 'anywhere' }}
                    >
                      {h.source || '—'}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{h.count}</Table.Td>
                  <Table.Td>
                    <Tooltip label={`${h.last.operation}: ${h.last.reason}`} multiline maw={420} openDelay={300}>
                      <Text size="sm" truncate="end">
                        {h.last.reason || h.last.operation}
                      </Text>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDateTimeSeconds(h.last.time)}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}
