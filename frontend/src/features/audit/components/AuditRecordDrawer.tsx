import { Code, Drawer } from '@mantine/core';
import { FieldTable } from '../../../components/FieldTable';
import type { ReactNode } from 'react';
import type { AuditRecord } from '../../../lib/wails';
import { actorKindLabel, formatDateTimeZone } from '../format';
import { ResultBadge } from './AuditTable';

function Hash({ value }: { value: string }) {
  return <Code style={{ wordBreak: 'break-all' }}>{value}</Code>;
}

/**
 * Every field of one audit record, whole: the table ellipsizes Target and
 * Reason, this shows them wrapped, with the chain fields.
 */
export function AuditRecordDrawer({ record, onClose }: { record: AuditRecord | null; onClose: () => void }) {
  const fields: [string, ReactNode][] = record
    ? [
        ['Seq', record.seq],
        ['Time', formatDateTimeZone(record.time)],
        ['Recorded (UTC)', record.time],
        ['Actor', record.actor],
        ['Full Name', record.actorName],
        ['Kind', actorKindLabel(record.actorKind)],
        ['Source Address', record.source],
        ['Operation', record.operation],
        ['Target', record.target],
        ['Result', <ResultBadge key="result" result={record.result} />],
        ['Reason', record.reason],
        ['Hash', <Hash key="hash" value={record.hash} />],
        ['Previous Hash', record.prev ? <Hash key="prev" value={record.prev} /> : 'none (the first record)'],
        ['Encoding Version', record.version || 'none (before versions)'],
      ]
    : [];
  return (
    <Drawer
      opened={record !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={record ? `Audit record ${record.seq}` : ''}
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <FieldTable fields={fields} labelWidth={150} />
    </Drawer>
  );
}
