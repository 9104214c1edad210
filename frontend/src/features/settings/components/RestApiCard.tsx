import { Badge, Button, Card, Checkbox, Code, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { CopyButton } from '../../../components/CopyButton';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useLoad } from '../../../hooks/useLoad';
import { vaultApi, type APIServerInfo, type Operator } from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { splitErrors } from '../../users/formErrors';

interface Values {
  listen: string;
  enabled: boolean;
  trustedProxies: string;
}

const FIELDS: (keyof Values)[] = ['listen', 'enabled', 'trustedProxies'];

function StatusLine({ info }: { info: APIServerInfo }) {
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

function Status({ info }: { info: APIServerInfo }) {
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
          <Table.Th scope="row">URL</Table.Th>
          <Table.Td>
            {info.url ? (
              <Group gap="sm" wrap="nowrap" justify="space-between">
                <Code style={{ wordBreak: 'break-all' }}>{info.url}</Code>
                <CopyButton size="compact-sm" getText={() => info.url} />
              </Group>
            ) : (
              <Text c="dimmed" size="sm">
                —
              </Text>
            )}
          </Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th scope="row">Certificate fingerprint (SHA-256)</Table.Th>
          <Table.Td>
            {info.fingerprint ? (
              <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
                {info.fingerprint}
              </Code>
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

function SettingsForm({ info, editable, onSaved }: { info: APIServerInfo; editable: boolean; onSaved: (next: APIServerInfo) => void }) {
  const { handleError } = useSession();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useForm<Values>({
    initialValues: { listen: info.listen, enabled: info.enabled, trustedProxies: info.trustedProxies },
  });

  const submit = async (v: Values) => {
    setFormError(null);
    setSaved(false);
    setSaving(true);
    try {
      const next = await vaultApi.saveAPIServer(v.listen.trim(), v.enabled, v.trustedProxies.trim());
      form.setValues({ listen: next.listen, enabled: next.enabled, trustedProxies: next.trustedProxies });
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
          description="127.0.0.1:7272 serves this machine only; 0.0.0.0:7272 serves all interfaces"
          readOnly={!editable}
          autoComplete="off"
          spellCheck={false}
          {...form.getInputProps('listen')}
        />
        <Checkbox
          label="Serve the REST API while Hostbound is unlocked"
          disabled={!editable}
          {...form.getInputProps('enabled', { type: 'checkbox' })}
        />
        <TextInput
          label="Trusted proxies"
          description="IP addresses or CIDRs whose X-Forwarded-For is believed, comma-separated"
          readOnly={!editable}
          autoComplete="off"
          spellCheck={false}
          {...form.getInputProps('trustedProxies')}
        />
        <ErrorAlert title="Could not save the REST API settings" message={formError} />
        {saved && (
          <Text size="sm" c="green" role="status">
            REST API settings saved.
          </Text>
        )}
        <Group justify="space-between" align="center">
          <Text size="sm" c="dimmed">
            {editable ? 'Saving restarts the REST API with these settings.' : 'Only operators who may manage security settings can change these.'}
          </Text>
          <Button type="submit" loading={saving} disabled={!editable}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * REST API: status, URL and certificate of the PMP-compatible API, and its
 * settings. A new reloadKey loads the status again (the server restarted,
 * e.g. with a new certificate).
 */
export function RestApiCard({ operator, reloadKey = 0 }: { operator: Operator; reloadKey?: number }) {
  const loaded = useLoad(vaultApi.getAPIServer, [reloadKey]);
  // The status Save returned replaces the one loaded, until the next reload.
  const [saved, setSaved] = useState<{ info: APIServerInfo; reloadKey: number } | null>(null);
  const info = (saved?.reloadKey === reloadKey ? saved.info : null) ?? loaded.data ?? null;
  const error = loaded.error;
  const editable = operator.permissions.includes('settings.manage');

  return (
    <Card withBorder shadow="sm" padding="lg" radius="lg" component="section" aria-labelledby="rest-api-title">
      <Stack gap="md">
        <Stack gap={4}>
          <Title order={2} size="h3" id="rest-api-title">
            REST API
          </Title>
          <Text c="dimmed" size="sm">
            The PMP-compatible HTTPS API that API users call with their keys.
          </Text>
        </Stack>
        {info === null && !error && (
          <Group gap="sm">
            <Loader size="sm" />
            <Text size="sm">Loading REST API status…</Text>
          </Group>
        )}
        <ErrorAlert title="Could not load the REST API status" message={error?.message} />
        {info && (
          <>
            <Status info={info} />
            <SettingsForm info={info} editable={editable} onSaved={(next) => setSaved({ info: next, reloadKey })} />
          </>
        )}
      </Stack>
    </Card>
  );
}
