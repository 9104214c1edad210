import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A two-column table of labelled values, as the detail drawers show a
 * record: the label a row header, the value wrapped wherever it must (long
 * hashes, PEM subjects) so that nothing is cut.
 */
export function FieldTable({
  fields,
  labelWidth,
  ariaLabel,
}: {
  fields: [string, ReactNode][];
  labelWidth: number;
  ariaLabel?: string;
}) {
  return (
    <Table variant="vertical" layout="fixed" withTableBorder aria-label={ariaLabel}>
      <Table.Tbody>
        {fields.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th scope="row" w={labelWidth}>
              {label}
            </Table.Th>
            <Table.Td style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
