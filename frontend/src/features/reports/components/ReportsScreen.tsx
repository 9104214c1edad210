import { Badge, Button, Card, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useId, type ReactNode } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useLoad } from '../../../hooks/useLoad';
import { auditApi, type KeyStatusCounts, type ReportView, type UserRow } from '../../../lib/wails';
import { formatDateTime, keyExpiryText } from '../../users/format';
import { toCsv, type CsvValue } from '../csv';
import { downloadText } from '../download';

const KEY_STATUS_ROWS: { key: keyof KeyStatusCounts; label: string; color: string }[] = [
  { key: 'active', label: 'Active', color: 'green' },
  { key: 'expiring30', label: 'Expiring within 30 days', color: 'yellow' },
  { key: 'expiring7', label: 'Expiring within 7 days', color: 'orange' },
  { key: 'expiring1', label: 'Expiring within 1 day', color: 'red' },
  { key: 'expired', label: 'Expired', color: 'red' },
  { key: 'none', label: 'No key', color: 'gray' },
  { key: 'disabled', label: 'Disabled', color: 'gray' },
  { key: 'revoked', label: 'Revoked', color: 'red' },
];

/** A report's table: header, rows as the screen shows them, and the same as CSV. */
interface ReportTable {
  header: string[];
  rows: ReactNode[][];
  csv: CsvValue[][];
}

function stamp(d: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}`;
}

function Dimmed({ children }: { children: ReactNode }) {
  return (
    <Text span size="sm" c="dimmed">
      {children}
    </Text>
  );
}

function keyStatusTable(k: KeyStatusCounts): ReportTable {
  return {
    header: ['Key Status', 'API users'],
    rows: KEY_STATUS_ROWS.map((r) => [
      <Group gap={8} wrap="nowrap" key={r.key}>
        <Badge size="xs" circle color={r.color} variant="filled" aria-hidden>
          {' '}
        </Badge>
        <span>{r.label}</span>
      </Group>,
      k[r.key].toLocaleString('en-US'),
    ]),
    csv: KEY_STATUS_ROWS.map((r) => [r.label, k[r.key]]),
  };
}

function expiringTable(rows: UserRow[]): ReportTable {
  return {
    header: ['Username', 'Full Name', 'Host Name', 'Expires'],
    rows: rows.map((r) => [
      r.username,
      r.fullName,
      r.host,
      <span key="expires">
        {formatDateTime(r.keyExpiresAt)} <Dimmed>({keyExpiryText({ ...r, keyHint: r.keyHint || 'key' })})</Dimmed>
      </span>,
    ]),
    csv: rows.map((r) => [r.username, r.fullName, r.host, r.keyExpiresAt]),
  };
}

function idleTable(rows: UserRow[]): ReportTable {
  return {
    header: ['Username', 'Host Name', 'Last Used', 'Last Used From', 'Use Count'],
    rows: rows.map((r) => [
      r.username,
      r.host,
      r.lastUsedAt ? formatDateTime(r.lastUsedAt) : <Dimmed key="never">never</Dimmed>,
      r.lastUsedFrom,
      r.useCount.toLocaleString('en-US'),
    ]),
    csv: rows.map((r) => [r.username, r.host, r.lastUsedAt || 'never', r.lastUsedFrom, r.useCount]),
  };
}

function superAdminTable(rows: UserRow[]): ReportTable {
  return {
    header: ['Username', 'Full Name', 'Access Level'],
    rows: rows.map((r) => [r.username, r.fullName, r.roleName || r.role]),
    csv: rows.map((r) => [r.username, r.fullName, r.roleName || r.role]),
  };
}

function perHostTable(report: ReportView): ReportTable {
  return {
    header: ['Host Name', 'API users'],
    rows: report.perHost.map((h) => [h.host || <Dimmed key="none">no host</Dimmed>, h.count.toLocaleString('en-US')]),
    csv: report.perHost.map((h) => [h.host, h.count]),
  };
}

function ReportCard({
  title,
  description,
  file,
  table,
  empty,
}: {
  title: string;
  description: string;
  /** The CSV file's name without date and extension. */
  file: string;
  table: ReportTable;
  empty: string;
}) {
  const id = useId();
  const exportCsv = () => downloadText(`hostbound-${file}-${stamp()}.csv`, toCsv(table.header, table.csv));
  return (
    <Card withBorder shadow="sm" radius="lg" padding="lg" component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
          <Stack gap={2}>
            <Title order={2} size="h4" id={id}>
              {title}
            </Title>
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          </Stack>
          <Button variant="default" size="xs" onClick={exportCsv} style={{ flexShrink: 0 }}>
            Export CSV
          </Button>
        </Group>
        <Table.ScrollContainer minWidth={360} maxHeight={360} scrollAreaProps={{ viewportProps: { tabIndex: 0 } }}>
          <Table striped highlightOnHover stickyHeader verticalSpacing={6} aria-labelledby={id}>
            <Table.Thead>
              <Table.Tr>
                {table.header.map((h) => (
                  <Table.Th key={h} style={{ whiteSpace: 'nowrap' }}>
                    {h}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {table.rows.map((cells, i) => (
                <Table.Tr key={i}>
                  {cells.map((c, j) => (
                    <Table.Td key={j}>{c}</Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {table.rows.length === 0 && (
          <Text size="sm" c="dimmed" ta="center" py="xs">
            {empty}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

/** Reports on API keys and administrators, each exportable as CSV; computed by the backend on open and Refresh. */
export function ReportsScreen() {
  const reports = useLoad(auditApi.getReports, []);
  // While a refresh runs, the last report (or error) stays on screen.
  const report = reports.error ? undefined : reports.data;
  const firstLoad = !reports.data && !reports.error;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" gap="sm">
        <Stack gap={4}>
          <Title order={1} size="h2">
            Reports
          </Title>
          <Text c="dimmed" size="sm">
            API keys, idle identities and who holds the most access, as of now.
          </Text>
        </Stack>
        <Button variant="default" onClick={reports.reload} disabled={firstLoad}>
          Refresh
        </Button>
      </Group>

      {firstLoad && (
        <Group gap="sm">
          <Loader size="sm" />
          <Text size="sm">Loading reports…</Text>
        </Group>
      )}
      <ErrorAlert title="Could not load the reports" message={reports.error?.message} />
      {report && (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
          <ReportCard
            title="API key status"
            description="API users by the state of their key; each key counts once, in its nearest bucket."
            file="api-key-status"
            table={keyStatusTable(report.keyStatus)}
            empty=""
          />
          <ReportCard
            title="Keys expiring soon"
            description="API keys that expire within 30 days, soonest first."
            file="keys-expiring-soon"
            table={expiringTable(report.expiringSoon)}
            empty="No API key expires within 30 days."
          />
          <ReportCard
            title="Idle keys"
            description="Valid API keys unused for 90 days or never used."
            file="idle-keys"
            table={idleTable(report.idleKeys)}
            empty="No idle API keys."
          />
          <ReportCard
            title="Super Administrators"
            description="Users with an administrator role and the All Passwords scope."
            file="super-administrators"
            table={superAdminTable(report.superAdmins)}
            empty="No Super Administrators."
          />
          <ReportCard
            title="API users per host"
            description="How many API users are bound to each host."
            file="api-users-per-host"
            table={perHostTable(report)}
            empty="No API users."
          />
        </SimpleGrid>
      )}
    </Stack>
  );
}
