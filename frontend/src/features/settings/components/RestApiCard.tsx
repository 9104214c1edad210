import { Checkbox, Code, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useLoad } from '../../../hooks/useLoad';
import { vaultApi, type APIServerInfo, type Operator } from '../../../lib/wails';
import { SettingsCard } from './SettingsCard';
import { CopyableCode, InfoRow, NoValue, ServerSettingsForm, ServerStatus, useServerSettings } from './ServerSettings';

function Status({ info }: { info: APIServerInfo }) {
  return (
    <ServerStatus info={info}>
      <InfoRow label="URL">
        <CopyableCode value={info.url} />
      </InfoRow>
      <InfoRow label="Certificate fingerprint (SHA-256)">
        {info.fingerprint ? (
          <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
            {info.fingerprint}
          </Code>
        ) : (
          <NoValue />
        )}
      </InfoRow>
    </ServerStatus>
  );
}

function SettingsForm({ info, editable, onSaved }: { info: APIServerInfo; editable: boolean; onSaved: (next: APIServerInfo) => void }) {
  // The fields are named as the backend names them in field errors.
  const settings = useServerSettings({
    info,
    valuesOf: (i: APIServerInfo) => ({
      listen: i.listen,
      enabled: i.enabled,
      trustedProxies: i.trustedProxies,
      refusalsAsPmp: i.refusalsAsPmp,
    }),
    save: (v) => vaultApi.saveAPIServer(v.listen.trim(), v.enabled, v.trustedProxies.trim(), v.refusalsAsPmp),
    onSaved,
  });
  const { form } = settings;

  return (
    <ServerSettingsForm
      name="REST API"
      port={7272}
      editable={editable}
      settings={settings}
      listenProps={form.getInputProps('listen')}
      enabledProps={form.getInputProps('enabled', { type: 'checkbox' })}
    >
      <TextInput
        label="Trusted proxies"
        description="IP addresses or CIDRs whose X-Forwarded-For is believed, comma-separated"
        readOnly={!editable}
        autoComplete="off"
        spellCheck={false}
        {...form.getInputProps('trustedProxies')}
      />
      <Checkbox
        label="Answer refusals as PMP does (HTTP 200)"
        description="Some PMP clients read only the response body; Hostbound answers refusals with 4xx unless this is on."
        disabled={!editable}
        {...form.getInputProps('refusalsAsPmp', { type: 'checkbox' })}
      />
    </ServerSettingsForm>
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
  const editable = operator.permissions.includes('settings.manage');

  return (
    <SettingsCard
      id="rest-api-title"
      title="REST API"
      description="The PMP-compatible HTTPS API that API users call with their keys."
      loadingText="Loading REST API status…"
      errorTitle="Could not load the REST API status"
      loading={info === null}
      error={loaded.error}
    >
      {info && (
        <>
          <Status info={info} />
          <SettingsForm info={info} editable={editable} onSaved={(next) => setSaved({ info: next, reloadKey })} />
        </>
      )}
    </SettingsCard>
  );
}
