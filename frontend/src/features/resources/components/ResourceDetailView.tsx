import { Badge, Button, Card, Center, Code, Group, Loader, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useLoad } from '../../../hooks/useLoad';
import { vaultApi, type AccountView, type Operator, type ResourceView, type ShareView } from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { formatDateTime } from '../../users/format';
import { canManageResources, canSharePasswords, canViewPasswords } from '../permissions';
import { AccountFormModal } from './AccountFormModal';
import { ConfirmDeleteModal } from './ConfirmDeleteModal';
import { Notice, useNotice } from './Notice';
import { PasswordCell } from './PasswordCell';
import { ResourceFormModal } from './ResourceFormModal';
import { ShareModal } from './ShareModal';

type Dialog =
  | { type: 'editResource' }
  | { type: 'deleteResource' }
  | { type: 'account'; account: AccountView | null }
  | { type: 'deleteAccount'; account: AccountView }
  | { type: 'share' }
  | null;

interface Props {
  id: string;
  operator: Operator;
  onBack: () => void;
  onDeleted: (name: string) => void;
}

/** "Delete db01 and its accounts?" */
export function deleteResourceQuestion(name: string): string {
  return `Delete ${name} and its accounts?`;
}

function SectionCard({ title, action, children }: { title: string; action?: ReactNode; children: ReactNode }) {
  return (
    <Card withBorder shadow="sm" padding="lg" radius="lg">
      <Stack gap="md">
        <Group justify="space-between" align="center">
          <Title order={2} size="h3">
            {title}
          </Title>
          {action}
        </Group>
        {children}
      </Stack>
    </Card>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" w={200}>
        {label}
      </Table.Th>
      <Table.Td style={{ wordBreak: 'break-word' }}>{children}</Table.Td>
    </Table.Tr>
  );
}

/** What a retrieval of the account's password must or may give, as small badges. */
function RetrievalBadges({ account }: { account: AccountView }) {
  const badges = [
    account.reasonRequired && 'Reason required',
    account.ticketMandatory ? 'Ticket ID required' : account.ticketRequired && 'Asks for a ticket ID',
  ].filter((b): b is string => typeof b === 'string');
  if (badges.length === 0) return null;
  return (
    <Group gap={4}>
      {badges.map((b) => (
        <Badge key={b} size="xs" variant="light" color="gray">
          {b}
        </Badge>
      ))}
    </Group>
  );
}

function ResourceFields({ resource }: { resource: ResourceView }) {
  const none = (
    <Text span c="dimmed" size="sm">
      —
    </Text>
  );
  return (
    <Table variant="vertical" layout="fixed" withTableBorder>
      <Table.Tbody>
        <Field label="DNS Name / IP Address">{resource.dnsName || none}</Field>
        <Field label="Resource Type">{resource.type || none}</Field>
        <Field label="Description">
          {resource.description ? <Text style={{ whiteSpace: 'pre-wrap' }}>{resource.description}</Text> : none}
        </Field>
        <Field label="Department">{resource.department || none}</Field>
        <Field label="Location">{resource.location || none}</Field>
        <Field label="Resource URL">{resource.url ? <Code style={{ wordBreak: 'break-all' }}>{resource.url}</Code> : none}</Field>
        <Field label="Owner">{resource.owner || none}</Field>
      </Table.Tbody>
    </Table>
  );
}

/** One resource: its fields, accounts with masked passwords, and shares. */
export function ResourceDetailView({ id, operator, onBack, onDeleted }: Props) {
  const { handleError } = useSession();
  const detail = useLoad(() => vaultApi.getResource(id), [id]);
  const { reload } = detail;
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useNotice();

  const mayManage = canManageResources(operator);
  const mayShare = canSharePasswords(operator);
  const mayView = canViewPasswords(operator);

  const failed = (title: string) => (e: unknown) =>
    setNotice({ color: 'red', title, message: handleError(e).message });

  const back = (
    <Button variant="subtle" size="compact-sm" onClick={onBack} leftSection={<span aria-hidden>←</span>} px={4}>
      Back to Resources
    </Button>
  );

  if (!detail.data) {
    return (
      <Stack gap="md" align="flex-start">
        {back}
        {detail.error ? (
          <ErrorAlert title="Could not load the resource" message={detail.error.message} />
        ) : (
          <Center py="xl" w="100%">
            <Loader aria-label="Loading resource" />
          </Center>
        )}
      </Stack>
    );
  }

  const { resource, accounts, shares } = detail.data;
  const accountName = (accountId: string) => accounts.find((a) => a.id === accountId)?.name ?? `account ${accountId}`;

  const unshare = async (s: ShareView) => {
    try {
      await vaultApi.unshareResource({ resourceId: resource.id, accountId: s.accountId, grantee: s.grantee, permission: s.permission });
      reload();
      setNotice({ color: 'green', title: 'Share removed', message: `${s.grantee} no longer has this share.` });
    } catch (e) {
      failed('Could not remove the share')(e);
    }
  };

  return (
    <Stack gap="lg">
      <Stack gap={4} align="flex-start">
        {back}
        <Group justify="space-between" w="100%" align="center">
          <Group gap="sm" align="baseline">
            <Title order={1} size="h2" style={{ wordBreak: 'break-word' }}>
              {resource.name}
            </Title>
            {resource.type && (
              <Badge variant="light" color="gray">
                {resource.type}
              </Badge>
            )}
          </Group>
          {mayManage && (
            <Group gap="sm">
              <Button variant="default" onClick={() => setDialog({ type: 'editResource' })}>
                Edit
              </Button>
              <Button variant="light" color="red" onClick={() => setDialog({ type: 'deleteResource' })}>
                Delete
              </Button>
            </Group>
          )}
        </Group>
      </Stack>

      <Notice notice={notice} onClose={() => setNotice(null)} />
      <ErrorAlert title="Could not refresh the resource" message={detail.error?.message} />

      <ResourceFields resource={resource} />

      <SectionCard
        title="Accounts"
        action={
          mayManage && <Button onClick={() => setDialog({ type: 'account', account: null })}>Add Account</Button>
        }
      >
        {accounts.length === 0 ? (
          <Text c="dimmed" size="sm">
            No accounts yet.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" highlightOnHover aria-label="Accounts">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Account Name</Table.Th>
                  <Table.Th>Password</Table.Th>
                  <Table.Th>Notes</Table.Th>
                  <Table.Th>Last Changed</Table.Th>
                  {mayManage && (
                    <Table.Th>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {accounts.map((a) => (
                  <Table.Tr key={a.id}>
                    <Table.Td>
                      <Stack gap={4} align="flex-start">
                        <Text fw={600} size="sm" truncate maw={220} title={a.name}>
                          {a.name}
                        </Text>
                        <RetrievalBadges account={a} />
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <PasswordCell
                        resourceId={resource.id}
                        account={a}
                        mayView={mayView}
                        onError={failed(`Could not fetch the password of ${a.name}`)}
                      />
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{a.notes}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(a.updatedAt)}</Table.Td>
                    {mayManage && (
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap" justify="flex-end">
                          <Button size="compact-sm" variant="default" onClick={() => setDialog({ type: 'account', account: a })}>
                            Edit <VisuallyHidden>account {a.name}</VisuallyHidden>
                          </Button>
                          <Button
                            size="compact-sm"
                            variant="subtle"
                            color="red"
                            onClick={() => setDialog({ type: 'deleteAccount', account: a })}
                          >
                            Delete <VisuallyHidden>account {a.name}</VisuallyHidden>
                          </Button>
                        </Group>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </SectionCard>

      <SectionCard title="Shares" action={mayShare && <Button onClick={() => setDialog({ type: 'share' })}>Share</Button>}>
        {shares.length === 0 ? (
          <Text c="dimmed" size="sm">
            Not shared with anyone.
          </Text>
        ) : (
          <Table verticalSpacing="sm" aria-label="Shares">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Shared with</Table.Th>
                <Table.Th>What</Table.Th>
                <Table.Th>Permission</Table.Th>
                {mayShare && (
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shares.map((s) => (
                <Table.Tr key={`${s.grantee}/${s.accountId}`}>
                  <Table.Td fw={600} maw={280} title={s.grantee} style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                    {s.grantee}
                  </Table.Td>
                  <Table.Td>{s.accountId === '' ? 'Whole resource' : `Account ${accountName(s.accountId)}`}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={s.permission === 'modify' ? 'orange' : 'blue'}>
                      {s.permission === 'modify' ? 'Modify' : 'View'}
                    </Badge>
                  </Table.Td>
                  {mayShare && (
                    <Table.Td>
                      <Group justify="flex-end">
                        <Button size="compact-sm" variant="subtle" color="red" onClick={() => void unshare(s)}>
                          Remove <VisuallyHidden>share with {s.grantee}</VisuallyHidden>
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </SectionCard>

      {dialog?.type === 'editResource' && (
        <ResourceFormModal
          resource={resource}
          onClose={() => setDialog(null)}
          onSaved={(saved) => {
            setDialog(null);
            reload();
            setNotice({ color: 'green', title: 'Resource saved', message: `${saved.name} was saved.` });
          }}
        />
      )}
      {dialog?.type === 'deleteResource' && (
        <ConfirmDeleteModal
          title="Delete Resource"
          question={deleteResourceQuestion(resource.name)}
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            await vaultApi.deleteResource(resource.id);
            onDeleted(resource.name);
          }}
        />
      )}
      {dialog?.type === 'account' && (
        <AccountFormModal
          resource={resource}
          account={dialog.account}
          onClose={() => setDialog(null)}
          onSaved={(saved, created) => {
            setDialog(null);
            reload();
            setNotice({
              color: 'green',
              title: created ? 'Account added' : 'Account saved',
              message: created ? `${saved.name} was added.` : `${saved.name} was saved.`,
            });
          }}
        />
      )}
      {dialog?.type === 'deleteAccount' && (
        <ConfirmDeleteModal
          title="Delete Account"
          question={`Delete the account ${dialog.account.name} of ${resource.name}? Its password is lost.`}
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            await vaultApi.deleteAccount(resource.id, dialog.account.id);
            setDialog(null);
            reload();
            setNotice({ color: 'green', title: 'Account deleted', message: `${dialog.account.name} was deleted.` });
          }}
        />
      )}
      {dialog?.type === 'share' && (
        <ShareModal
          resource={resource}
          accounts={accounts}
          onClose={() => setDialog(null)}
          onShared={(grantee) => {
            setDialog(null);
            reload();
            setNotice({ color: 'green', title: 'Shared', message: `${resource.name} is shared with ${grantee}.` });
          }}
        />
      )}
    </Stack>
  );
}
