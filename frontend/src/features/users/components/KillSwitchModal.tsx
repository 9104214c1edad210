import {
  Badge,
  Button,
  Group,
  Modal,
  Pagination,
  Radio,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import {
  killSwitchApi,
  type AffectedStatus,
  type KeyStatus,
  type RevocationPreview,
  type RevokeResult,
  type RevokeSelection,
  type RoleView,
  type SelectBy,
} from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { splitErrors } from '../formErrors';
import { KEY_STATUS_OPTIONS } from '../format';

/** Rows per page of the preview table. */
export const PREVIEW_PAGE = 50;

const BY_LABEL: Record<SelectBy, string> = {
  host: 'Host Name',
  cidr: 'CIDR',
  department: 'Department',
  search: 'Search',
};

const BY_HINT: Record<SelectBy, string> = {
  host: 'Exactly this host: a hostname, an IP address or a CIDR as stored.',
  cidr: 'API users whose host is an address in this block or a CIDR overlapping it. Hostnames are not resolved.',
  department: 'Every API user of this department (any case).',
  search: 'The Users list search: username, host, full name, department, location.',
};

const STATUS_COLOR: Record<AffectedStatus, string> = {
  revoke: 'red',
  'not yours to revoke': 'gray',
  'already revoked': 'gray',
};


const FIELDS = ['value', 'search', 'reason'] as const;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** The sentence the dialog says about a preview. */
export function previewSummary(p: RevocationPreview): string {
  if (p.total === 0) return 'No API user matches this selection.';
  const skipped = [
    p.notYours > 0 && `${p.notYours.toLocaleString('en-US')} not yours to revoke`,
    p.alreadyRevoked > 0 && `${p.alreadyRevoked.toLocaleString('en-US')} already revoked`,
  ].filter(Boolean);
  return `${plural(p.total, 'API user')} selected: ${p.revoke.toLocaleString('en-US')} will be revoked${
    skipped.length ? ` (skipped: ${skipped.join(', ')})` : ''
  }.`;
}

/**
 * Revoke keys: select API users by host, CIDR, department or search,
 * preview who is affected, and revoke REST, SSH and certificate access of
 * all of them at once with a reason. Access comes back per user (Edit API
 * User → Restore access).
 */
export function KillSwitchModal({
  roles,
  onClose,
  onRevoked,
}: {
  roles: RoleView[];
  onClose: () => void;
  onRevoked: (result: RevokeResult, selection: RevokeSelection) => void;
}) {
  const { handleError } = useSession();
  const [by, setBy] = useState<SelectBy>('host');
  const [value, setValue] = useState('');
  const [search, setSearch] = useState('');
  const [role, setRole] = useState('all');
  const [keyStatus, setKeyStatus] = useState('all');
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState<RevocationPreview | null>(null);
  const [page, setPage] = useState(1);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'preview' | 'revoke' | null>(null);

  const selection = (): RevokeSelection => ({
    by,
    value: by === 'search' ? '' : value.trim(),
    query: {
      search: by === 'search' ? search.trim() : '',
      kind: 'api',
      role: by === 'search' && role !== 'all' ? role : '',
      keyStatus: by === 'search' && keyStatus !== 'all' ? (keyStatus as KeyStatus) : '',
      sortBy: 'username',
      desc: false,
      offset: 0,
      limit: 0,
    },
  });

  // A changed selection needs a new preview before anything is revoked.
  const changed = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setPreview(null);
    setErrors((e) => ({ ...e, value: '', search: '' }));
  };

  const fail = (e: unknown) => {
    const { fieldErrors, formError: rest } = splitErrors(handleError(e), FIELDS);
    setErrors(fieldErrors);
    setFormError(rest);
  };

  const load = async (toPage: number) => {
    setBusy('preview');
    setFormError(null);
    try {
      const p = await killSwitchApi.previewRevocation(selection(), (toPage - 1) * PREVIEW_PAGE, PREVIEW_PAGE);
      setPreview(p);
      setPage(toPage);
      setErrors((e) => ({ reason: e.reason ?? '' }));
    } catch (e) {
      setPreview(null);
      fail(e);
    } finally {
      setBusy(null);
    }
  };

  const revoke = async () => {
    setFormError(null);
    if (reason.trim() === '') {
      setErrors((e) => ({ ...e, reason: 'Reason: required' }));
      return;
    }
    setBusy('revoke');
    try {
      const sel = selection();
      const res = await killSwitchApi.revokeAccess(sel, reason);
      onRevoked(res, sel);
    } catch (e) {
      fail(e);
      setBusy(null);
    }
  };

  const valueInput =
    by === 'search' ? (
      <Group gap="sm" align="flex-start" grow>
        <TextInput
          label="Search"
          description={BY_HINT.search}
          value={search}
          onChange={(e) => changed(setSearch)(e.currentTarget.value)}
          error={errors.search || undefined}
          data-autofocus
        />
        <Select
          label="Access Level"
          data={[{ value: 'all', label: 'All' }, ...roles.map((r) => ({ value: r.id, label: r.name }))]}
          value={role}
          onChange={(v) => changed(setRole)(v ?? 'all')}
          allowDeselect={false}
        />
        <Select
          label="Key Status"
          data={KEY_STATUS_OPTIONS}
          value={keyStatus}
          onChange={(v) => changed(setKeyStatus)(v ?? 'all')}
          allowDeselect={false}
        />
      </Group>
    ) : (
      <TextInput
        label={BY_LABEL[by]}
        description={BY_HINT[by]}
        placeholder={by === 'host' ? 'web01.example.com' : by === 'cidr' ? '10.0.0.0/24' : 'Operations'}
        value={value}
        onChange={(e) => changed(setValue)(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') void load(1);
        }}
        error={errors.value || undefined}
        autoComplete="off"
        data-autofocus
      />
    );

  const pages = preview ? Math.max(1, Math.ceil(preview.total / PREVIEW_PAGE)) : 1;

  return (
    <Modal opened onClose={onClose} title="Revoke keys" size="xl" closeOnClickOutside={false}>
      <Stack gap="md">
        <Text size="sm">
          Revoke REST API, SSH and certificate access of many API users at once. Their API keys, SSH keys and
          certificates are kept: access comes back per user with <strong>Restore access</strong>.
        </Text>
        <Radio.Group
          label="Select by"
          value={by}
          onChange={(v) => {
            changed(setBy)(v as SelectBy);
            setValue('');
          }}
        >
          <Group gap="lg" mt={6}>
            {(Object.keys(BY_LABEL) as SelectBy[]).map((k) => (
              <Radio key={k} value={k} label={BY_LABEL[k]} />
            ))}
          </Group>
        </Radio.Group>
        <Group align="flex-end" gap="sm" wrap="nowrap">
          <div style={{ flex: 1 }}>{valueInput}</div>
          <Button variant="default" onClick={() => void load(1)} loading={busy === 'preview'}>
            Preview
          </Button>
        </Group>

        {preview && (
          <Stack gap="xs">
            <Text fw={500} role="status" aria-live="polite">
              {previewSummary(preview)}
            </Text>
            {preview.total > 0 && (
              <>
                <Table.ScrollContainer minWidth={600} mah={320}>
                  <Table striped stickyHeader aria-label="Affected API users">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Username</Table.Th>
                        <Table.Th>Host Name</Table.Th>
                        <Table.Th>Department</Table.Th>
                        <Table.Th>Access Level</Table.Th>
                        <Table.Th>Status</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {preview.rows.map((r) => (
                        <Table.Tr key={r.username}>
                          <Table.Td>{r.username}</Table.Td>
                          <Table.Td>{r.host}</Table.Td>
                          <Table.Td>{r.department}</Table.Td>
                          <Table.Td>{r.roleName}</Table.Td>
                          <Table.Td>
                            <Badge variant="light" color={STATUS_COLOR[r.status]}>
                              {r.status === 'revoke' ? 'will be revoked' : r.status}
                            </Badge>
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
                {pages > 1 && (
                  <Group justify="space-between">
                    <Text size="xs" c="dimmed">
                      {`Showing ${((page - 1) * PREVIEW_PAGE + 1).toLocaleString('en-US')}–${Math.min(
                        page * PREVIEW_PAGE,
                        preview.total,
                      ).toLocaleString('en-US')} of ${preview.total.toLocaleString('en-US')}`}
                    </Text>
                    <Pagination size="sm" total={pages} value={page} onChange={(p) => void load(p)} aria-label="Preview pages" />
                  </Group>
                )}
              </>
            )}
          </Stack>
        )}

        <Textarea
          label="Reason"
          required
          description="Kept in the audit trail, and shown to the refused clients: “Access revoked by an administrator: <reason>”."
          placeholder="Host image leaked (INC-1234)"
          autosize
          minRows={2}
          maxLength={256}
          value={reason}
          onChange={(e) => {
            setReason(e.currentTarget.value);
            setErrors((x) => ({ ...x, reason: '' }));
          }}
          error={errors.reason || undefined}
        />

        <ErrorAlert title="Could not revoke the keys" message={formError} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color="red"
            onClick={() => void revoke()}
            loading={busy === 'revoke'}
            disabled={!preview || preview.revoke === 0 || busy === 'preview'}
          >
            {preview && preview.revoke > 0 ? `Revoke keys of ${plural(preview.revoke, 'API user')}` : 'Revoke keys'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
