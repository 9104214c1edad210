import { Code, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { CopyButton } from '../../../components/CopyButton';
import { useLoad } from '../../../hooks/useLoad';
import { vaultApi, type Operator, type SSHServerInfo } from '../../../lib/wails';
import { SettingsCard } from './SettingsCard';
import { CopyableCode, InfoRow, ServerSettingsForm, ServerStatus, useServerSettings } from './ServerSettings';

/** The port of a host:port listen address, or PORT when there is none. */
function portOf(listen: string): string {
  const port = listen.slice(listen.lastIndexOf(':') + 1);
  return /^\d+$/.test(port) ? port : 'PORT';
}

/** PMP's A2A SSH CLI call (PRODUCT.md §9), with this server's port. */
function exampleCommand(listen: string): string {
  return `ssh -p ${portOf(listen)} -i KEY USERNAME@HOST RETRIEVE --resource=NAME --account=NAME`;
}

function SettingsForm({ info, editable, onSaved }: { info: SSHServerInfo; editable: boolean; onSaved: (next: SSHServerInfo) => void }) {
  // The fields are named as the backend names them in field errors.
  const settings = useServerSettings({
    info,
    valuesOf: (i: SSHServerInfo) => ({ sshListen: i.listen, enabled: i.enabled }),
    save: (v) => vaultApi.saveSSHServer(v.sshListen.trim(), v.enabled),
    onSaved,
  });
  const { form } = settings;

  return (
    <ServerSettingsForm
      name="SSH CLI"
      port={5522}
      editable={editable}
      hideSaveWhenReadOnly
      settings={settings}
      listenProps={form.getInputProps('sshListen')}
      enabledProps={form.getInputProps('enabled', { type: 'checkbox' })}
    />
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
  const editable = operator.permissions.includes('settings.manage');

  return (
    <SettingsCard
      id="ssh-cli-title"
      title="SSH CLI"
      description="Lets API users with a public key for SSH CLI access fetch passwords over SSH, as with PMP's SSH CLI."
      loadingText="Loading SSH CLI status…"
      errorTitle="Could not load the SSH CLI status"
      loading={info === null}
      error={loaded.error}
    >
      {info && (
        <>
          <ServerStatus info={info}>
            <InfoRow label="Host key fingerprint">
              <CopyableCode value={info.fingerprint} />
            </InfoRow>
          </ServerStatus>
          <SettingsForm info={info} editable={editable} onSaved={setSaved} />
          <Example listen={info.listen} />
        </>
      )}
    </SettingsCard>
  );
}
