import { Badge, Button, Center, Table, Text } from '@mantine/core';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { BulkRow, BulkRowView } from '../../../lib/wails';

/** Every row has this height, so the scroll position says which rows show. */
export const BULK_ROW_HEIGHT = 56;
const OVERSCAN = 6;
/** Used until the viewport has been measured (and in jsdom, which has no layout). */
const FALLBACK_VIEWPORT_HEIGHT = 400;

/** A column of the preview: the row's cell, and the error field of the Add API User form it shows. */
export interface BulkColumn {
  label: string;
  cell: keyof BulkRow;
  field: string;
  width: number;
}

export const BULK_COLUMNS: BulkColumn[] = [
  { label: 'Username', cell: 'username', field: 'username', width: 220 },
  { label: 'Host Name', cell: 'host', field: 'host', width: 190 },
  { label: 'Full Name', cell: 'fullName', field: 'fullName', width: 170 },
  { label: 'Access Level', cell: 'accessLevel', field: 'role', width: 150 },
  { label: 'Access Scope', cell: 'accessScope', field: 'scope', width: 150 },
  { label: 'Department', cell: 'department', field: 'department', width: 130 },
  { label: 'Location', cell: 'location', field: 'location', width: 120 },
  { label: 'Expiry Date', cell: 'expiryDate', field: 'expiresAt', width: 150 },
  { label: 'SSH Public Key', cell: 'sshPublicKey', field: 'sshPublicKey', width: 160 },
];
const LINE_WIDTH = 64;
const ACTION_WIDTH = 90;
const TABLE_WIDTH = BULK_COLUMNS.reduce((w, c) => w + c.width, LINE_WIDTH + ACTION_WIDTH);

/** What a cell shows when the row leaves it empty: the common field's value (dimmed). */
export type BulkDefaultsText = Partial<Record<keyof BulkRow, string>>;

interface Props {
  rows: BulkRow[];
  checks: BulkRowView[];
  /** Indexes into rows of the rows to show (all, or the bad ones). */
  shown: number[];
  defaults: BulkDefaultsText;
  onFix: (index: number) => void;
}

const truncate = { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' } as const;

function Cell({ value, fallback, error }: { value: string; fallback?: string; error?: string }) {
  return (
    <>
      <Text size="sm" style={truncate} title={value || fallback} c={value ? undefined : 'dimmed'}>
        {value || fallback || '—'}
      </Text>
      {error && (
        <Text size="xs" c="red" style={truncate} title={error}>
          {error}
        </Text>
      )}
    </>
  );
}

/**
 * The bulk preview with windowing: only the rows in view (plus a few) are in
 * the DOM, so 10,000 rows scroll as fast as ten. A bad cell shows the
 * message the Add API User form gives, in red, under its value.
 */
export function BulkPreviewTable({ rows, checks, shown, defaults, onFix }: Props) {
  const viewportRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(FALLBACK_VIEWPORT_HEIGHT);

  useEffect(() => {
    const el = viewportRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      if (el.clientHeight > 0) setViewportHeight(el.clientHeight);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const count = shown.length;
  const start = Math.max(0, Math.floor(scrollTop / BULK_ROW_HEIGHT) - 1 - OVERSCAN);
  const end = Math.min(count, Math.ceil((scrollTop + viewportHeight) / BULK_ROW_HEIGHT) + OVERSCAN);

  const body: ReactNode[] = [];
  for (let k = start; k < end; k++) {
    const i = shown[k];
    const row = rows[i];
    const check = checks[i];
    if (!row || !check) continue;
    const errorOf = (field: string) =>
      check.errors
        .filter((e) => e.field === field)
        .map((e) => e.message)
        .join(' ') || undefined;
    const bad = check.errors.length > 0;
    // Errors of fields no column shows (none today) still show, under the line.
    const shownFields = new Set(BULK_COLUMNS.map((c) => c.field));
    const other = check.errors.filter((e) => !shownFields.has(e.field)).map((e) => e.message);
    body.push(
      <Table.Tr
        key={i}
        style={{ height: BULK_ROW_HEIGHT }}
        aria-rowindex={k + 2}
        aria-label={`Line ${check.line}`}
        aria-invalid={bad || undefined}
        bg={bad ? 'var(--mantine-color-red-light)' : undefined}
      >
        <Table.Td>
          <Cell value={String(check.line)} error={other.join(' ') || undefined} />
        </Table.Td>
        {BULK_COLUMNS.map((c) => {
          const value =
            c.cell === 'username'
              ? check.username
              : c.cell === 'fullName'
                ? check.fullName
                : c.cell === 'sshPublicKey'
                  ? row.sshPublicKey
                    ? `${row.sshPublicKey.split(/\s+/)[0]}${check.sealable ? ' (can seal)' : ''}`
                    : ''
                  : String(row[c.cell] ?? '');
          return (
            <Table.Td key={c.label} style={{ overflow: 'hidden' }}>
              <Cell value={value} fallback={defaults[c.cell]} error={errorOf(c.field)} />
            </Table.Td>
          );
        })}
        <Table.Td>
          {bad ? (
            <Button size="compact-sm" variant="light" color="red" onClick={() => onFix(i)} aria-label={`Fix line ${check.line}`}>
              Fix
            </Button>
          ) : (
            <Badge size="sm" variant="light" color="green">
              Ready
            </Badge>
          )}
        </Table.Td>
      </Table.Tr>,
    );
  }

  return (
    <div
      ref={viewportRef}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      style={{
        height: 'min(420px, calc(100vh - 420px))',
        minHeight: 240,
        overflow: 'auto',
        border: '1px solid var(--mantine-color-default-border)',
        borderRadius: 'var(--mantine-radius-md)',
      }}
      data-testid="bulk-preview-viewport"
    >
      <Table
        stickyHeader
        layout="fixed"
        verticalSpacing={0}
        style={{ width: TABLE_WIDTH, minWidth: '100%' }}
        aria-label="Preview"
        aria-rowcount={count + 1}
      >
        <Table.Thead style={{ zIndex: 1 }}>
          <Table.Tr aria-rowindex={1}>
            <Table.Th w={LINE_WIDTH}>Line</Table.Th>
            {BULK_COLUMNS.map((c) => (
              <Table.Th key={c.label} w={c.width}>
                {c.label}
              </Table.Th>
            ))}
            <Table.Th w={ACTION_WIDTH}>Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {start > 0 && <tr aria-hidden style={{ height: start * BULK_ROW_HEIGHT }} />}
          {body}
          {end < count && <tr aria-hidden style={{ height: (count - end) * BULK_ROW_HEIGHT }} />}
        </Table.Tbody>
      </Table>
      {count === 0 && (
        <Center py="xl">
          <Text c="dimmed">No rows to show.</Text>
        </Center>
      )}
    </div>
  );
}
