import { Badge, Button, Card, Checkbox, Code, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { CopyButton } from '../../../components/CopyButton';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useLoad } from '../../../hooks/useLoad';
import { vaultApi, type Operator, type SSHServerInfo } from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { splitErrors } from '../../users/formErrors';

/** The form's fields, named as the backend names them in field errors. */
interface Values {
  sshListen: string;
  enabled: boolean;
}

const FIELDS: (keyof Values)[] = ['sshListen', 'enabled'];

/** The port of a host:port listen address, or PORT when there is none. */
function portOf(listen: string): string {
  const port = listen.slice(listen.lastIndexOf(':') + 1);
  return /^\d+$/.test(port) ? port : 'PORT';
}

/** PMP's A2A SSH CLI call (PRODUCT.md §9), with this server's port. */
function exampleCommand(listen: string): string {
  return `ssh -p ${portOf(listen)} -i KEY USERNAME@HOST RETRIEVE --resource=NAME --account=NAME`;
}

function StatusLine({ info }: { info: SSHServerInfo }) {
  return (
    <Stack gap={4}>
      <Group gap="sm">
        {info.running ? (
          <Badge color="green" variant="light">
            Running
          </Badge>
        ) : (
          <Badge color="gray" variant="light">
            Stopped
          </Badge>
        )}
        {info.address && (
          <Text size="sm" c="dimmed">
            {info.running ? `on ${info.address}` : info.address}
          </Text>
        )}
      </Group>
      {info.error && (
        <Text size="sm" c="red" role="alert">
          {info.error}
        </Text>
      )}
    </Stack>
  );
}

function Status({ info }: { info: SSHServerInfo }) {
  return (
    <Table variant="vertical" layout="fixed" withTableBorder>
      <Table.Tbody>
        <Table.Tr>
          <Table.Th scope="row" w={200}>
            Status
          </Table.Th>
          <Table.Td>
            <StatusLine info={info} />
          </Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th scope="row">Host key fingerprint</Table.Th>
          <Table.Td>
            {info.fingerprint ? (
              <Group gap="sm" wrap="nowrap" justify="space-between">
                <Code style={{ wordBreak: 'break-all' }}>{info.fingerprint}</Code>
                <CopyButton size="compact-sm" getText={() => info.fingerprint} />
              </Group>
            ) : (
              <Text c="dimmed" size="sm">
                —
              </Text>
            )}
          </Table.Td>
        </Table.Tr>
      </Table.Tbody>
    </Table>
  );
}

function SettingsForm({ info, editable, onSaved }: { info: SSHServerInfo; editable: boolean; onSaved: (next: SSHServerInfo) => void }) {
  const { handleError } = useSession();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useForm<Values>({ initialValues: { sshListen: info.listen, enabled: info.enabled } });

  const submit = async (v: Values) => {
    setFormError(null);
    setSaved(false);
    setSaving(true);
    try {
      const next = await vaultApi.saveSSHServer(v.sshListen.trim(), v.enabled);
      form.setValues({ sshListen: next.listen, enabled: next.enabled });
      form.resetDirty();
      onSaved(next);
      setSaved(true);
    } catch (e) {
      const { fieldErrors, formError: rest } = splitErrors(handleError(e), FIELDS);
      form.setErrors(fieldErrors);
      setFormError(rest);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack gap="md">
        <TextInput
          label="Listen address"
          description="127.0.0.1:5522 serves this machine only; 0.0.0.0:5522 serves all interfaces"
          readOnly={!editable}
          autoComplete="off"
          spellCheck={false}
          {...form.getInputProps('sshListen')}
        />
        <Checkbox
          label="Serve the SSH CLI while Hostbound is unlocked"
          disabled={!editable}
          {...form.getInputProps('enabled', { type: 'checkbox' })}
        />
        <ErrorAlert title="Could not save the SSH CLI settings" message={formError} />
        {saved && (
          <Text size="sm" c="green" role="status">
            SSH CLI settings saved.
          </Text>
        )}
        <Group justify="space-between" align="center">
          <Text size="sm" c="dimmed">
            {editable ? 'Saving restarts the SSH CLI with these settings.' : 'Only operators who may manage security settings can change these.'}
          </Text>
          {editable && (
            <Button type="submit" loading={saving}>
              Save
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

function Example({ listen }: { listen: string }) {
  const command = exampleCommand(listen);
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        Example
      </Text>
      <Group gap="sm" wrap="nowrap" justify="space-between" align="flex-start">
        <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap', flex: 1 }}>
          {command}
        </Code>
        <CopyButton size="compact-sm" getText={() => command} />
      </Group>
      <Text size="xs" c="dimmed">
        USERNAME is the API user&apos;s username, KEY the private key of its public key for SSH CLI access, HOST this machine. The
        password is printed on standard output; --reason= is optional.
      </Text>
    </Stack>
  );
}

/** SSH CLI: PMP's A2A SSH interface for API users with a public key: status, host key and settings. */
export function SshCliCard({ operator }: { operator: Operator }) {
  const loaded = useLoad(vaultApi.getSSHServer, []);
  // The status Save returned replaces the one loaded.
  const [saved, setSaved] = useState<SSHServerInfo | null>(null);
  const info = saved ?? loaded.data ?? null;
  const error = loaded.error;
  const editable = operator.permissions.includes('settings.manage');

  return (
    <Card withBorder shadow="sm" padding="lg" radius="lg" component="section" aria-labelledby="ssh-cli-title">
      <Stack gap="md">
        <Stack gap={4}>
          <Title order={2} size="h3" id="ssh-cli-title">
            SSH CLI
          </Title>
          <Text c="dimmed" size="sm">
            Lets API users with a public key for SSH CLI access fetch passwords over SSH, as with PMP&apos;s SSH CLI.
          </Text>
        </Stack>
        {info === null && !error && (
          <Group gap="sm">
            <Loader size="sm" />
            <Text size="sm">Loading SSH CLI status…</Text>
          </Group>
        )}
        <ErrorAlert title="Could not load the SSH CLI status" message={error?.message} />
        {info && (
          <>
            <Status info={info} />
            <SettingsForm info={info} editable={editable} onSaved={setSaved} />
            <Example listen={info.listen} />
          </>
        )}
      </Stack>
    </Card>
  );
}
