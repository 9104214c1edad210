import { Badge, Button, Code, Drawer, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FieldTable } from '../../../components/FieldTable';
import { useLoad } from '../../../hooks/useLoad';
import { api, type UserActivity, type UserDetail, type UserRow } from '../../../lib/wails';
import { ResultBadge } from '../../audit/components/AuditTable';
import { KEY_STATUS_COLORS, KEY_STATUS_LABELS, SCOPE_LABELS, formatDateTime, keyExpiryText, keyHintText } from '../format';

/** A button of the drawer: one of the row menu's actions, with the same handler. */
export interface UserAction {
  label: string;
  onClick: () => void;
  /** Destructive (Delete). */
  danger?: boolean;
}

const PERMISSION_LABELS: Record<string, string> = { view: 'View', modify: 'Modify' };

function Dimmed({ children }: { children: ReactNode }) {
  return (
    <Text span c="dimmed" size="sm">
      {children}
    </Text>
  );
}

function Fingerprint({ value }: { value: string }) {
  return <Code style={{ wordBreak: 'break-all' }}>{value}</Code>;
}

function orDash(text: string): ReactNode {
  return text || <Dimmed>—</Dimmed>;
}

function scopeLabel(scope: string): string {
  return SCOPE_LABELS[scope as keyof typeof SCOPE_LABELS] ?? scope;
}

/** The fields of the user, as label and value; API-only fields only for API users. */
function fieldsOf(u: UserDetail): [string, ReactNode][] {
  const api = u.kind === 'api';
  const fields: [string, ReactNode][] = [
    [
      'Kind',
      <Badge key="kind" size="sm" variant="outline" color={api ? 'indigo' : 'gray'}>
        {api ? 'API user' : 'Operator'}
      </Badge>,
    ],
    ['Full Name', orDash(u.fullName)],
    ['Email', orDash(u.email)],
  ];
  if (api) fields.push(['Host Name', orDash(u.host)]);
  fields.push(
    [
      'Access Level',
      <Group key="role" gap={6}>
        <span>{u.roleName || u.role}</span>
        {u.superAdmin && (
          <Badge size="xs" color="grape" variant="light">
            Super Administrator
          </Badge>
        )}
      </Group>,
    ],
    ['Access Scope', scopeLabel(u.scope)],
    ['Status', u.disabled ? 'Disabled' : 'Enabled'],
  );
  if (api) {
    fields.push(
      ['REST API', u.restEnabled ? 'On' : 'Off'],
      [
        'Key Status',
        <Badge key="status" size="sm" variant="light" color={KEY_STATUS_COLORS[u.keyStatus]}>
          {KEY_STATUS_LABELS[u.keyStatus]}
        </Badge>,
      ],
      ['API Key', u.keyHint ? <Code key="hint">{keyHintText(u.keyHint)}</Code> : <Dimmed>no key</Dimmed>],
      ['Key Created', orDash(formatDateTime(u.keyCreatedAt))],
      [
        'Expires',
        u.keyHint ? (
          u.keyExpiresAt ? (
            `${formatDateTime(u.keyExpiresAt)} (${keyExpiryText(u)})`
          ) : (
            'never expires'
          )
        ) : (
          <Dimmed>—</Dimmed>
        ),
      ],
      ['Last Used', u.lastUsedAt ? formatDateTime(u.lastUsedAt) : <Dimmed>never</Dimmed>],
      ['Last Used From', orDash(u.lastUsedFrom)],
      ['Use Count', u.useCount.toLocaleString('en-US')],
    );
    if (u.sshFingerprint) fields.push(['SSH Public Key Fingerprint', <Fingerprint key="ssh" value={u.sshFingerprint} />]);
    if (u.certificateFingerprint) {
      fields.push(
        ['Client Certificate Fingerprint', <Fingerprint key="cert" value={u.certificateFingerprint} />],
        ['Certificate Subject', orDash(u.certificateSubject)],
        ['Certificate Expires', orDash(formatDateTime(u.certificateNotAfter))],
      );
    }
  }
  fields.push(
    ['Department', orDash(u.department)],
    ['Location', orDash(u.location)],
    ['Created', orDash(formatDateTime(u.createdAt))],
  );
  return fields;
}


function SharesTable({ shares }: { shares: UserActivity['shares'] }) {
  if (shares.length === 0) return <Dimmed>No shares of resources you manage.</Dimmed>;
  return (
    <Table layout="fixed" withTableBorder aria-label="Shares">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Resource</Table.Th>
          <Table.Th>Account</Table.Th>
          <Table.Th w={110}>Permission</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {shares.map((s) => (
          <Table.Tr key={`${s.resourceId}/${s.accountId}`}>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>{s.resourceName}</Table.Td>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>
              {s.accountName || <Dimmed>whole resource</Dimmed>}
            </Table.Td>
            <Table.Td>{PERMISSION_LABELS[s.permission] ?? s.permission}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function AuditList({ activity }: { activity: UserActivity }) {
  if (activity.auditHidden) return <Dimmed>You are not allowed to view the audit trail.</Dimmed>;
  if (activity.audit.length === 0) return <Dimmed>No audit records by or about this user.</Dimmed>;
  const wrap = { overflowWrap: 'anywhere', verticalAlign: 'top' } as const;
  return (
    <Table layout="fixed" withTableBorder aria-label="Recent audit records">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={150}>Time</Table.Th>
          <Table.Th>Operation</Table.Th>
          <Table.Th w={105}>Result</Table.Th>
          <Table.Th w={115}>Source</Table.Th>
          <Table.Th>Reason</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {activity.audit.map((r) => (
          <Table.Tr key={r.seq}>
            <Table.Td style={wrap}>{formatDateTime(r.time)}</Table.Td>
            <Table.Td style={wrap}>
              <Text size="sm">{r.operation}</Text>
              <Text size="xs" c="dimmed">
                {r.target ? `${r.target} · by ${r.actor}` : `by ${r.actor}`}
              </Text>
            </Table.Td>
            <Table.Td style={wrap}>
              <ResultBadge result={r.result} />
            </Table.Td>
            <Table.Td style={wrap}>{r.source}</Table.Td>
            <Table.Td style={wrap}>{orDash(r.reason)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/**
 * Everything about one user: the fields of the list and the edit form, the
 * shares the user holds and the last audit records by or about the user,
 * with the row menu's actions as buttons. row is the list's row (shown at
 * once); the detail and activity load when it opens and again when
 * version changes (after an action saved).
 */
export function UserDetailDrawer({
  row,
  version = 0,
  actions,
  onClose,
}: {
  row: UserRow | null;
  version?: number;
  actions: (row: UserRow) => UserAction[];
  onClose: () => void;
}) {
  const username = row?.username ?? null;
  const detail = useLoad(username === null ? null : () => api.getUser(username), [username, version]);
  const activity = useLoad(username === null ? null : () => api.getUserActivity(username), [username, version]);
  const user = detail.data && detail.data.username === username ? detail.data : null;
  const act = activity.data;
  const buttons = row ? actions(user ?? row) : [];
  return (
    <Drawer
      opened={row !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={row ? row.username : ''}
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <Stack gap="lg">
        {buttons.length > 0 && (
          <Group gap="xs" role="group" aria-label="Actions">
            {buttons.map((b) => (
              <Button
                key={b.label}
                size="xs"
                variant={b.danger ? 'outline' : 'default'}
                color={b.danger ? 'red' : undefined}
                onClick={b.onClick}
              >
                {b.label}
              </Button>
            ))}
          </Group>
        )}
        <ErrorAlert title="Could not load the user" message={detail.error?.message} />
        {user ? <FieldTable fields={fieldsOf(user)} labelWidth={200} ariaLabel="User details" /> : !detail.error && <Skeleton height={320} aria-label="Loading the user" />}

        <Stack gap="xs">
          <Title order={2} size="h4">
            Shares
          </Title>
          <ErrorAlert title="Could not load the shares and audit records" message={activity.error?.message} />
          {act && !activity.loading ? (
            <SharesTable shares={act.shares} />
          ) : (
            !activity.error && <Skeleton height={60} aria-label="Loading the shares" />
          )}
        </Stack>
        <Stack gap="xs">
          <Title order={2} size="h4">
            Recent audit
          </Title>
          {act && !activity.loading ? (
            <AuditList activity={act} />
          ) : (
            !activity.error && <Skeleton height={120} aria-label="Loading the audit records" />
          )}
        </Stack>
      </Stack>
    </Drawer>
  );
}
