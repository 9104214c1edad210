import { Code, Modal, Table } from '@mantine/core';
import type { ReactNode } from 'react';
import type { AuditRecord } from '../../../lib/wails';
import { actorKindLabel, formatDateTimeSeconds } from '../format';
import { ResultBadge } from './AuditTable';

/** Every field of one audit record. */
export function AuditRecordModal({ record, onClose }: { record: AuditRecord | null; onClose: () => void }) {
  const fields: [string, ReactNode][] = record
    ? [
        ['Seq', record.seq],
        ['Time', `${formatDateTimeSeconds(record.time)} (${record.time})`],
        ['Actor', record.actor],
        ['Full Name', record.actorName],
        ['Kind', actorKindLabel(record.actorKind)],
        ['Source Address', record.source],
        ['Operation', record.operation],
        ['Target', record.target],
        ['Result', <ResultBadge key="result" result={record.result} />],
        ['Reason', record.reason],
        [
          'Hash',
          <Code key="hash" style={{ wordBreak: 'break-all' }}>
            {record.hash}
          </Code>,
        ],
      ]
    : [];
  return (
    <Modal opened={record !== null} onClose={onClose} title={record ? `Audit record ${record.seq}` : ''} size="lg">
      <Table variant="vertical" layout="fixed" withTableBorder>
        <Table.Tbody>
          {fields.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th scope="row" w={150}>
                {label}
              </Table.Th>
              <Table.Td style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
