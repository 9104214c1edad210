import { Badge, Center, Loader, Table, Text } from '@mantine/core';
import type { AuditRecord } from '../../../lib/wails';
import { actorKindLabel, formatDateTimeSeconds, resultLabel } from '../format';
import classes from './AuditTable.module.css';

export function ResultBadge({ result }: { result: string }) {
  return (
    <Badge
      size="sm"
      variant="light"
      color={result === 'success' ? 'green' : result === 'failure' ? 'red' : 'gray'}
      style={{ overflow: 'visible' }}
    >
      {resultLabel(result)}
    </Badge>
  );
}

function ActorCell({ record }: { record: AuditRecord }) {
  const name = record.actorName || record.actor;
  return (
    <>
      <Text size="sm" fw={600} truncate>
        {name || '—'}
      </Text>
      {record.actorName && record.actor && record.actorName !== record.actor && (
        <Text size="xs" c="dimmed" truncate>
          {record.actor}
        </Text>
      )}
    </>
  );
}

/**
 * The columns and their widths: fixed ones for short values, the rest
 * (Target, Reason) share what is left and ellipsize, so that at 1280 px no
 * column is cut or pushed out of view (the record's modal shows it whole).
 */
const COLUMNS: { name: string; width?: number }[] = [
  { name: 'Time', width: 176 },
  { name: 'Actor', width: 150 },
  { name: 'Kind', width: 88 },
  { name: 'Source', width: 112 },
  { name: 'Operation', width: 148 },
  { name: 'Target' },
  { name: 'Result', width: 92 },
  { name: 'Reason' },
];

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
      <Table stickyHeader highlightOnHover verticalSpacing="xs" aria-label="Audit records" className={classes.table}>
        <colgroup>
          {COLUMNS.map((c) => (
            <col key={c.name} style={c.width ? { width: c.width } : undefined} />
          ))}
        </colgroup>
        <Table.Thead className={classes.head}>
          <Table.Tr>
            {COLUMNS.map((c) => (
              <Table.Th key={c.name} className={classes.clip}>
                {c.name}
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
              <Table.Td className={classes.clip}>
                <time dateTime={r.time}>{formatDateTimeSeconds(r.time)}</time>
              </Table.Td>
              <Table.Td className={classes.clip} title={r.actor || undefined}>
                <ActorCell record={r} />
              </Table.Td>
              <Table.Td className={classes.clip}>{actorKindLabel(r.actorKind)}</Table.Td>
              <Table.Td className={classes.clip} title={r.source || undefined}>
                {r.source}
              </Table.Td>
              <Table.Td className={classes.clip} title={r.operation || undefined}>
                {r.operation}
              </Table.Td>
              <Table.Td className={classes.clip} title={r.target || undefined}>
                {r.target}
              </Table.Td>
              <Table.Td className={classes.nowrap}>
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
