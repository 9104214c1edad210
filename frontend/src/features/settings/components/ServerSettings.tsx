import { Badge, Button, Checkbox, Code, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { useState, type FormEvent, type ReactNode } from 'react';
import { CopyButton } from '../../../components/CopyButton';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useSession } from '../../session/useSession';
import { splitErrors } from '../../users/formErrors';

/** What the REST API and the SSH CLI both report about their server. */
export interface ServerInfo {
  running: boolean;
  address: string;
  error: string;
  listen: string;
  enabled: boolean;
}

/** "—" for a value there is none of. */
export function NoValue() {
  return (
    <Text c="dimmed" size="sm">
      —
    </Text>
  );
}

/** A row of a server's status table. */
export function InfoRow({ label, w, children }: { label: string; w?: number; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" w={w}>
        {label}
      </Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

/** The value as code with Copy beside it, or — without one. */
export function CopyableCode({ value }: { value: string }) {
  if (!value) return <NoValue />;
  return (
    <Group gap="sm" wrap="nowrap" justify="space-between">
      <Code style={{ wordBreak: 'break-all' }}>{value}</Code>
      <CopyButton size="compact-sm" getText={() => value} />
    </Group>
  );
}

/** Running or Stopped, the address, and why the server is not running. */
function StatusLine({ info }: { info: ServerInfo }) {
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

/** A server's status table: the Status row, then the server's own rows (InfoRow). */
export function ServerStatus({ info, children }: { info: ServerInfo; children: ReactNode }) {
  return (
    <Table variant="vertical" layout="fixed" withTableBorder>
      <Table.Tbody>
        <InfoRow label="Status" w={200}>
          <StatusLine info={info} />
        </InfoRow>
        {children}
      </Table.Tbody>
    </Table>
  );
}

export interface ServerSettings<V> {
  form: UseFormReturnType<V>;
  saving: boolean;
  formError: string | null;
  saved: boolean;
  onSubmit: (event?: FormEvent<HTMLFormElement>) => void;
}

/**
 * A server settings form's state. The form's values are valuesOf(info); its
 * fields are named as the backend names them in field errors, whose
 * messages go under them. Save sets the values the server answered with.
 */
export function useServerSettings<V extends Record<string, unknown>, I extends ServerInfo>({
  info,
  valuesOf,
  save,
  onSaved,
}: {
  info: I;
  valuesOf: (info: I) => V;
  save: (values: V) => Promise<I>;
  onSaved: (next: I) => void;
}): ServerSettings<V> {
  const { handleError } = useSession();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useForm<V>({ initialValues: valuesOf(info) });

  const submit = async (v: V) => {
    setFormError(null);
    setSaved(false);
    setSaving(true);
    try {
      const next = await save(v);
      form.setValues(valuesOf(next));
      form.resetDirty();
      onSaved(next);
      setSaved(true);
    } catch (e) {
      const { fieldErrors, formError: rest } = splitErrors(handleError(e), Object.keys(form.values));
      form.setErrors(fieldErrors);
      setFormError(rest);
    } finally {
      setSaving(false);
    }
  };

  return { form, saving, formError, saved, onSubmit: form.onSubmit(submit) };
}

interface FormProps<V> {
  /** "REST API" or "SSH CLI": in the checkbox, the messages and the note. */
  name: string;
  /** The server's usual port, for the listen address's description. */
  port: number;
  editable: boolean;
  /** Without editable: no Save at all (else a disabled one). */
  hideSaveWhenReadOnly?: boolean;
  settings: ServerSettings<V>;
  /** The input props of the listen address and of the "serve while unlocked" checkbox. */
  listenProps: object;
  enabledProps: object;
  /** More fields, after the checkbox. */
  children?: ReactNode;
}

/** A server's settings: listen address, whether to serve while unlocked, Save and what it said. */
export function ServerSettingsForm<V>({
  name,
  port,
  editable,
  hideSaveWhenReadOnly = false,
  settings: { saving, formError, saved, onSubmit },
  listenProps,
  enabledProps,
  children,
}: FormProps<V>) {
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <TextInput
          label="Listen address"
          description={`127.0.0.1:${port} serves this machine only; 0.0.0.0:${port} serves all interfaces`}
          readOnly={!editable}
          autoComplete="off"
          spellCheck={false}
          {...listenProps}
        />
        <Checkbox label={`Serve the ${name} while Hostbound is unlocked`} disabled={!editable} {...enabledProps} />
        {children}
        <ErrorAlert title={`Could not save the ${name} settings`} message={formError} />
        {saved && (
          <Text size="sm" c="green" role="status">
            {`${name} settings saved.`}
          </Text>
        )}
        <Group justify="space-between" align="center">
          <Text size="sm" c="dimmed">
            {editable ? `Saving restarts the ${name} with these settings.` : 'Only operators who may manage security settings can change these.'}
          </Text>
          {(editable || !hideSaveWhenReadOnly) && (
            <Button type="submit" loading={saving} disabled={!editable}>
              Save
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
