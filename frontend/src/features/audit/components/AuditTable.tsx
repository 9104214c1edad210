import { Badge, Center, Loader, Table, Text } from '@mantine/core';
import type { AuditRecord } from '../../../lib/wails';
import { actorKindLabel, formatDateTimeSeconds, resultLabel } from '../format';
import classes from './AuditTable.module.css';

export function ResultBadge({ result }: { result: string }) {
  return (
    <Badge size="sm" variant="light" color={result === 'success' ? 'green' : result === 'failure' ? 'red' : 'gray'}>
      {resultLabel(result)}
    </Badge>
  );
}

function ActorCell({ record }: { record: AuditRecord }) {
  const name = record.actorName || record.actor;
  return (
    <>
      <Text size="sm" fw={600} className={classes.nowrap}>
        {name || '—'}
      </Text>
      {record.actorName && record.actor && record.actorName !== record.actor && (
        <Text size="xs" c="dimmed" className={classes.nowrap}>
          {record.actor}
        </Text>
      )}
    </>
  );
}

const COLUMNS = ['Time', 'Actor', 'Kind', 'Source', 'Operation', 'Target', 'Result', 'Reason'];

/** The audit records as a table, newest first; a row opens its details. */
export function AuditTable({
  records,
  loading,
  onOpen,
}: {
  records: AuditRecord[];
  loading: boolean;
  onOpen: (record: AuditRecord) => void;
}) {
  return (
    <div className={classes.viewport}>
      <Table stickyHeader highlightOnHover verticalSpacing="xs" aria-label="Audit records">
        <Table.Thead className={classes.head}>
          <Table.Tr>
            {COLUMNS.map((c) => (
              <Table.Th key={c} className={classes.nowrap}>
                {c}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {records.map((r) => (
            <Table.Tr
              key={r.seq}
              className={classes.row}
              tabIndex={0}
              title="Show the details of this record"
              onClick={() => onOpen(r)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  onOpen(r);
                }
              }}
            >
              <Table.Td className={classes.nowrap}>
                <time dateTime={r.time}>{formatDateTimeSeconds(r.time)}</time>
              </Table.Td>
              <Table.Td>
                <ActorCell record={r} />
              </Table.Td>
              <Table.Td className={classes.nowrap}>{actorKindLabel(r.actorKind)}</Table.Td>
              <Table.Td className={classes.nowrap}>{r.source}</Table.Td>
              <Table.Td className={classes.nowrap}>{r.operation}</Table.Td>
              <Table.Td className={classes.clip} title={r.target || undefined}>
                {r.target}
              </Table.Td>
              <Table.Td>
                <ResultBadge result={r.result} />
              </Table.Td>
              <Table.Td className={classes.clip} title={r.reason || undefined}>
                {r.reason}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {records.length === 0 && (
        <Center py="xl">
          {loading ? <Loader size="sm" aria-label="Loading audit records" /> : <Text c="dimmed">No audit records match.</Text>}
        </Center>
      )}
    </div>
  );
}
