import { Badge, Center, Group, Skeleton, Table, Text, UnstyledButton } from '@mantine/core';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { UserRow, UserSortBy } from '../../../lib/wails';
import { KEY_STATUS_COLORS, KEY_STATUS_LABELS, formatDateTime, keyExpiryText, keyHintText } from '../format';
import classes from './UserTable.module.css';

/** Every row has this height, so the scroll position says which rows show. */
export const ROW_HEIGHT = 52;
const OVERSCAN = 8;
/** Used until the viewport has been measured (and in jsdom, which has no layout). */
const FALLBACK_VIEWPORT_HEIGHT = 640;

/** The ids of the columns, as the column chooser stores them. */
export type ColumnId =
  | 'username'
  | 'fullName'
  | 'host'
  | 'key'
  | 'role'
  | 'kind'
  | 'lastUsed'
  | 'useCount'
  | 'department'
  | 'location'
  | 'email';

interface Column {
  id: ColumnId;
  label: string;
  sortBy?: UserSortBy;
  width: number;
  cell: (row: UserRow) => ReactNode;
}

function Dimmed({ children }: { children: ReactNode }) {
  return (
    <Text span c="dimmed" size="sm">
      {children}
    </Text>
  );
}

/** A one-line text that ellipsizes; the whole text is its tooltip. */
function Truncated({ text, fw }: { text: string; fw?: number }) {
  if (!text) return <Dimmed>—</Dimmed>;
  return (
    <Text span size="sm" fw={fw} truncate="end" title={text} display="block">
      {text}
    </Text>
  );
}

function lastUsedText(row: UserRow): ReactNode {
  if (!row.lastUsedAt) return 'never used';
  return <span title={row.lastUsedFrom ? `from ${row.lastUsedFrom}` : undefined}>used {formatDateTime(row.lastUsedAt)}</span>;
}

/** Status badge and expiry on the first line; the key's hint and last use on the second. */
function KeyCell({ row }: { row: UserRow }) {
  if (row.kind !== 'api') return <Dimmed>—</Dimmed>;
  const hint = row.keyHint ? keyHintText(row.keyHint) : '';
  return (
    <div className={classes.twoLines}>
      <Group gap={6} wrap="nowrap">
        <Badge size="sm" variant="light" color={KEY_STATUS_COLORS[row.keyStatus]} style={{ flexShrink: 0 }}>
          {KEY_STATUS_LABELS[row.keyStatus]}
        </Badge>
        {row.keyHint && (
          <Text span size="sm" truncate="end" title={keyExpiryText(row)}>
            {keyExpiryText(row)}
          </Text>
        )}
      </Group>
      <Text span size="xs" c="dimmed" truncate="end" display="block">
        {row.keyHint ? (
          <>
            <Text span ff="monospace" size="xs" title={hint}>
              {hint}
            </Text>
            {' · '}
            {lastUsedText(row)}
          </>
        ) : row.restEnabled ? (
          'no key'
        ) : (
          'REST API off'
        )}
      </Text>
    </div>
  );
}

/** The Access Level's name, and the Super Administrator badge on a line of its own. */
function RoleCell({ row }: { row: UserRow }) {
  return (
    <div className={classes.twoLines}>
      <Truncated text={row.roleName || row.role} />
      {row.superAdmin && (
        <Badge size="xs" color="grape" variant="light" title="Super Administrator" style={{ maxWidth: '100%' }}>
          Super Administrator
        </Badge>
      )}
    </div>
  );
}

/** Every column, in order; DEFAULT_HIDDEN are off until the chooser shows them. */
export const COLUMNS: Column[] = [
  { id: 'username', label: 'Username', sortBy: 'username', width: 200, cell: (r) => <Truncated text={r.username} fw={600} /> },
  { id: 'fullName', label: 'Full Name', sortBy: 'fullName', width: 150, cell: (r) => <Truncated text={r.fullName} /> },
  { id: 'host', label: 'Host Name', sortBy: 'host', width: 160, cell: (r) => <Truncated text={r.host} /> },
  { id: 'key', label: 'Key', sortBy: 'keyExpiresAt', width: 230, cell: (r) => <KeyCell row={r} /> },
  { id: 'role', label: 'Access Level', sortBy: 'role', width: 200, cell: (r) => <RoleCell row={r} /> },
  {
    id: 'kind',
    label: 'Kind',
    sortBy: 'kind',
    width: 100,
    cell: (r) => (
      <Badge size="sm" variant="outline" color={r.kind === 'api' ? 'indigo' : 'gray'}>
        {r.kind === 'api' ? 'API user' : 'Operator'}
      </Badge>
    ),
  },
  {
    id: 'lastUsed',
    label: 'Last Used',
    sortBy: 'lastUsedAt',
    width: 150,
    cell: (r) =>
      r.kind !== 'api' ? (
        <Dimmed>—</Dimmed>
      ) : r.lastUsedAt ? (
        <span title={r.lastUsedFrom ? `from ${r.lastUsedFrom}` : undefined}>{formatDateTime(r.lastUsedAt)}</span>
      ) : (
        <Dimmed>never</Dimmed>
      ),
  },
  {
    id: 'useCount',
    label: 'Use Count',
    width: 100,
    cell: (r) => (r.kind === 'api' ? r.useCount.toLocaleString('en-US') : <Dimmed>—</Dimmed>),
  },
  { id: 'department', label: 'Department', sortBy: 'department', width: 130, cell: (r) => <Truncated text={r.department} /> },
  { id: 'location', label: 'Location', sortBy: 'location', width: 120, cell: (r) => <Truncated text={r.location} /> },
  { id: 'email', label: 'Email', width: 180, cell: (r) => <Truncated text={r.email} /> },
];

/** Hidden until shown in the column chooser: what does not fit at 1280 px. */
export const DEFAULT_HIDDEN: ColumnId[] = ['kind', 'lastUsed', 'useCount', 'department', 'location', 'email'];

const ACTIONS_WIDTH = 56;

export interface UserTableProps {
  total: number | null;
  rowAt: (index: number) => UserRow | undefined;
  onRangeChange: (start: number, end: number) => void;
  sortBy: UserSortBy;
  desc: boolean;
  onSort: (sortBy: UserSortBy) => void;
  /** When this changes, the list scrolls back to the top (new search or filters). */
  resetKey: string;
  actions: (row: UserRow) => ReactNode;
  /** Columns not shown. */
  hidden?: readonly ColumnId[];
  /** A click (or Enter) on a row, outside its actions. */
  onOpen?: (row: UserRow) => void;
}

/**
 * The Users table with windowing: only the rows in view (plus a few) are in
 * the DOM; spacer rows above and below keep the scroll bar true to the total.
 */
export function UserTable({
  total,
  rowAt,
  onRangeChange,
  sortBy,
  desc,
  onSort,
  resetKey,
  actions,
  hidden = DEFAULT_HIDDEN,
  onOpen,
}: UserTableProps) {
  const columns = COLUMNS.filter((c) => !hidden.includes(c.id));
  const tableWidth = columns.reduce((w, c) => w + c.width, ACTIONS_WIDTH);
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

  useEffect(() => {
    const el = viewportRef.current;
    if (el && el.scrollTop !== 0) el.scrollTop = 0;
  }, [resetKey]);

  const count = total ?? 0;
  const headerRows = 1;
  const firstVisible = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - headerRows);
  const start = Math.max(0, firstVisible - OVERSCAN);
  const end = Math.min(count, Math.ceil((scrollTop + viewportHeight) / ROW_HEIGHT) + OVERSCAN);

  useEffect(() => {
    onRangeChange(start, Math.max(end, start + 1));
  }, [start, end, onRangeChange]);

  const indexes: number[] = [];
  for (let i = start; i < end; i++) indexes.push(i);

  return (
    <div
      ref={viewportRef}
      className={classes.viewport}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      data-testid="users-viewport"
    >
      <Table
        stickyHeader
        highlightOnHover
        layout="fixed"
        verticalSpacing={0}
        style={{ width: tableWidth, minWidth: '100%' }}
        aria-label="Users"
        aria-rowcount={count + 1}
      >
        <Table.Thead className={classes.head}>
          <Table.Tr aria-rowindex={1}>
            {columns.map((c) => {
              const active = c.sortBy === sortBy;
              return (
                <Table.Th
                  key={c.id}
                  w={c.width}
                  aria-sort={active ? (desc ? 'descending' : 'ascending') : undefined}
                >
                  {c.sortBy ? (
                    <UnstyledButton className={classes.sort} onClick={() => onSort(c.sortBy!)}>
                      <span>{c.label}</span>
                      <span aria-hidden className={classes.arrow} data-active={active || undefined}>
                        {active ? (desc ? '▼' : '▲') : '↕'}
                      </span>
                    </UnstyledButton>
                  ) : (
                    c.label
                  )}
                </Table.Th>
              );
            })}
            <Table.Th w={ACTIONS_WIDTH} className={classes.actions}>
              <span className={classes.srOnly}>Actions</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {start > 0 && <tr aria-hidden style={{ height: start * ROW_HEIGHT }} />}
          {indexes.map((i) => {
            const row = rowAt(i);
            if (!row) {
              return (
                <Table.Tr key={`loading-${i}`} style={{ height: ROW_HEIGHT }} aria-rowindex={i + 2}>
                  <Table.Td colSpan={columns.length + 1}>
                    <Skeleton height={12} radius="sm" width="60%" aria-label="Loading row" />
                  </Table.Td>
                </Table.Tr>
              );
            }
            return (
              <Table.Tr
                key={row.username}
                style={{ height: ROW_HEIGHT }}
                aria-rowindex={i + 2}
                className={[onOpen ? classes.row : '', row.disabled ? classes.disabled : ''].join(' ').trim() || undefined}
                onClick={onOpen ? () => onOpen(row) : undefined}
                onKeyDown={
                  onOpen
                    ? (e) => {
                        if (e.key === 'Enter' && e.target === e.currentTarget) onOpen(row);
                      }
                    : undefined
                }
                tabIndex={onOpen ? 0 : undefined}
                data-username={row.username}
              >
                {columns.map((c) => (
                  <Table.Td key={c.id} className={classes.cell}>
                    {c.cell(row)}
                  </Table.Td>
                ))}
                {/* Clicks in the row menu (portalled, but React events bubble) do not open the drawer. */}
                <Table.Td
                  className={`${classes.cell} ${classes.actions}`}
                  onClick={(e) => e.stopPropagation()}
                  onKeyDown={(e) => e.stopPropagation()}
                >
                  {actions(row)}
                </Table.Td>
              </Table.Tr>
            );
          })}
          {end < count && <tr aria-hidden style={{ height: (count - end) * ROW_HEIGHT }} />}
        </Table.Tbody>
      </Table>
      {total === 0 && (
        <Center py="xl">
          <Text c="dimmed">No users match.</Text>
        </Center>
      )}
    </div>
  );
}
