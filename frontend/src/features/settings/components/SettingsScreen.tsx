import { Card, Code, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { formatBytes } from '../../../lib/format';
import { useLoad } from '../../../hooks/useLoad';
import { api, type Operator } from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { BackupCard } from './BackupCard';
import { KeyValidityCard } from './KeyValidityCard';
import { RestApiCard } from './RestApiCard';
import { ServerCertificateCard } from './ServerCertificateCard';
import { SshCliCard } from './SshCliCard';

/** Where and how Hostbound keeps its data. */
export function SettingsScreen({ operator }: { operator: Operator }) {
  const { data: info, error } = useLoad(api.getSecurityInfo, []);
  const { state } = useSession();
  // Counts certificate changes: each restarts the REST API, whose card then reloads.
  const [certificateChanges, setCertificateChanges] = useState(0);

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
          {!info && !error && (
            <Group gap="sm">
              <Loader size="sm" />
              <Text size="sm">Loading security information…</Text>
            </Group>
          )}
          <ErrorAlert title="Could not load security information" message={error?.message} />
          {info && (
            <Table variant="vertical" layout="fixed" withTableBorder>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th scope="row" w={180}>Master key storage</Table.Th>
                  <Table.Td>{info.keyStorageLabel}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">Data directory</Table.Th>
                  <Table.Td>
                    <Code style={{ wordBreak: 'break-all' }}>{info.dataDir}</Code>
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">Log file</Table.Th>
                  <Table.Td>
                    <Code style={{ wordBreak: 'break-all' }}>{info.logFile}</Code>
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">Store size</Table.Th>
                  <Table.Td>{formatBytes(info.storeBytes)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">Audit records</Table.Th>
                  <Table.Td>{info.auditRecords.toLocaleString('en-US')} (never deleted by Hostbound)</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">Version</Table.Th>
                  <Table.Td>Hostbound {state?.version || 'unknown'}</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      </Card>
      <RestApiCard operator={operator} reloadKey={certificateChanges} />
      <KeyValidityCard operator={operator} />
      <ServerCertificateCard operator={operator} onChanged={() => setCertificateChanges((n) => n + 1)} />
      <SshCliCard operator={operator} />
      <BackupCard operator={operator} />
    </Stack>
  );
}
