import { Card, Code, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { formatBytes } from '../../../lib/format';
import type { Operator } from '../../../lib/wails';
import { useSecurityInfo } from '../api/useSecurityInfo';
import { RestApiCard } from './RestApiCard';

/** Where and how Hostbound keeps its data. */
export function SettingsScreen({ operator }: { operator: Operator }) {
  const result = useSecurityInfo();

  return (
    <Stack gap="lg" maw={760}>
      <Title order={1} size="h2">
        Settings
      </Title>
      <Card withBorder shadow="sm" padding="lg" radius="lg">
        <Stack gap="md">
          <Stack gap={4}>
            <Title order={2} size="h3">
              Security
            </Title>
            <Text c="dimmed" size="sm">
              How the master key is kept and where Hostbound stores its files.
            </Text>
          </Stack>
          {result.status === 'loading' && (
            <Group gap="sm">
              <Loader size="sm" />
              <Text size="sm">Loading security information…</Text>
            </Group>
          )}
          {result.status === 'error' && (
            <ErrorAlert title="Could not load security information" message={result.error.message} />
          )}
          {result.status === 'ok' && (
            <Table variant="vertical" layout="fixed" withTableBorder>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th scope="row" w={180}>Master key storage</Table.Th>
                  <Table.Td>{result.info.keyStorageLabel}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">Data directory</Table.Th>
                  <Table.Td>
                    <Code style={{ wordBreak: 'break-all' }}>{result.info.dataDir}</Code>
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">Log file</Table.Th>
                  <Table.Td>
                    <Code style={{ wordBreak: 'break-all' }}>{result.info.logFile}</Code>
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">Store size</Table.Th>
                  <Table.Td>{formatBytes(result.info.storeBytes)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">Audit records</Table.Th>
                  <Table.Td>{result.info.auditRecords.toLocaleString('en-US')} (never deleted by Hostbound)</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      </Card>
      <RestApiCard operator={operator} />
    </Stack>
  );
}
