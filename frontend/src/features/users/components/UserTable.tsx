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

interface Column {
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

function KeyCell({ row }: { row: UserRow }) {
  if (row.kind !== 'api') return <Dimmed>—</Dimmed>;
  const expiry = keyExpiryText(row);
  return (
    <Group gap={6} wrap="nowrap">
      <Badge size="sm" variant="light" color={KEY_STATUS_COLORS[row.keyStatus]} style={{ flexShrink: 0 }}>
        {KEY_STATUS_LABELS[row.keyStatus]}
      </Badge>
      <Text span size="sm" truncate>
        {row.keyHint ? (
          <span title={keyHintText(row.keyHint)}>
            {expiry}
            <Dimmed>
              {' · '}
              <Text span ff="monospace" size="sm">
                {keyHintText(row.keyHint)}
              </Text>
            </Dimmed>
          </span>
        ) : (
          <Dimmed>{row.restEnabled ? 'no key' : 'REST API off'}</Dimmed>
        )}
      </Text>
    </Group>
  );
}

const COLUMNS: Column[] = [
  {
    label: 'Username',
    sortBy: 'username',
    width: 230,
    cell: (r) => (
      <Text span size="sm" fw={600} truncate title={r.username}>
        {r.username}
      </Text>
    ),
  },
  {
    label: 'Kind',
    sortBy: 'kind',
    width: 104,
    cell: (r) => (
      <Badge size="sm" variant="outline" color={r.kind === 'api' ? 'indigo' : 'gray'}>
        {r.kind === 'api' ? 'API user' : 'Operator'}
      </Badge>
    ),
  },
  { label: 'Host Name', sortBy: 'host', width: 180, cell: (r) => r.host || <Dimmed>—</Dimmed> },
  { label: 'Key', sortBy: 'keyExpiresAt', width: 250, cell: (r) => <KeyCell row={r} /> },
  {
    label: 'Access Level',
    sortBy: 'role',
    width: 240,
    cell: (r) => (
      <Group gap={6} wrap="nowrap">
        <Text span size="sm" truncate>
          {r.roleName || r.role}
        </Text>
        {r.superAdmin && (
          <Badge size="sm" color="grape" variant="light" style={{ flexShrink: 0 }}>
            Super Administrator
          </Badge>
        )}
      </Group>
    ),
  },
  { label: 'Full Name', sortBy: 'fullName', width: 160, cell: (r) => r.fullName },
  {
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
  { label: 'Department', sortBy: 'department', width: 130, cell: (r) => r.department },
  { label: 'Location', sortBy: 'location', width: 120, cell: (r) => r.location },
];
const ACTIONS_WIDTH = 70;
const TABLE_WIDTH = COLUMNS.reduce((w, c) => w + c.width, ACTIONS_WIDTH);

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
}

/**
 * The Users table with windowing: only the rows in view (plus a few) are in
 * the DOM; spacer rows above and below keep the scroll bar true to the total.
 */
export function UserTable({ total, rowAt, onRangeChange, sortBy, desc, onSort, resetKey, actions }: UserTableProps) {
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
        style={{ width: TABLE_WIDTH, minWidth: '100%' }}
        aria-label="Users"
        aria-rowcount={count + 1}
      >
        <Table.Thead className={classes.head}>
          <Table.Tr aria-rowindex={1}>
            {COLUMNS.map((c) => {
              const active = c.sortBy === sortBy;
              return (
                <Table.Th
                  key={c.label}
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
                  <Table.Td colSpan={COLUMNS.length + 1}>
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
                className={row.disabled ? classes.disabled : undefined}
              >
                {COLUMNS.map((c) => (
                  <Table.Td key={c.label} className={classes.cell}>
                    {c.cell(row)}
                  </Table.Td>
                ))}
                <Table.Td className={`${classes.cell} ${classes.actions}`}>{actions(row)}</Table.Td>
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
