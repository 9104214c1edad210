import {
  Accordion,
  Badge,
  Button,
  Center,
  Checkbox,
  Fieldset,
  Group,
  Loader,
  Modal,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { focusFirstError } from '../../../lib/focusFirstError';
import { api, vaultApi, type Operator, type RoleView, type Scope, type UserDetail, type UserRow } from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { endOfDayIso, isoToDateInput, keyExpiryText, keyHintText, toDateInputValue } from '../format';
import { splitErrors } from '../formErrors';
import { AccessFields } from './AccessFields';
import { CopyKeyButton } from './CopyButton';
import { KeyOnceWarning } from './KeyOnceWarning';
import { KillSwitchRestore } from './KillSwitchRestore';
import { RegenerateKeyModal } from './RegenerateKeyModal';
import { FormFooter } from '../../../components/FormFooter';
import { useUserDetail } from '../api/useUserDetail';

interface Values {
  username: string;
  host: string;
  fullName: string;
  email: string;
  role: string;
  scope: Scope;
  sshPublicKey: string;
  certificate: string;
  restEnabled: boolean;
  /** The key Generate showed, until Save. */
  apiKey: string;
  neverExpires: boolean;
  /** "YYYY-MM-DD" from the date input. */
  expiresAt: string;
  department: string;
  location: string;
}

const FIELDS: (keyof Values)[] = [
  'username',
  'host',
  'fullName',
  'email',
  'role',
  'scope',
  'sshPublicKey',
  'certificate',
  'apiKey',
  'expiresAt',
  'department',
  'location',
];

/** Step 7's two optional fields, in a section collapsed unless filled in or wrong. */
const OPTIONAL_FIELDS = ['sshPublicKey', 'certificate'] as const;
const OPTIONAL_SECTION = 'ssh-certificate';

export type APIUserFormMode = { kind: 'add' } | { kind: 'edit'; username: string };

interface Props {
  mode: APIUserFormMode;
  operator: Operator;
  roles: RoleView[];
  onClose: () => void;
  onSaved: (row: UserRow, created: boolean) => void;
  /** The list changed without closing the form (Regenerate API Key). */
  onChanged: () => void;
}

function defaultRole(roles: RoleView[]): string {
  return roles.find((r) => r.id === 'password_user')?.id ?? roles[0]?.id ?? '';
}

function initialValues(roles: RoleView[], detail: UserDetail | null): Values {
  if (!detail) {
    return {
      username: '',
      host: '',
      fullName: '',
      email: '',
      role: defaultRole(roles),
      scope: 'owned_shared',
      sshPublicKey: '',
      certificate: '',
      restEnabled: false,
      apiKey: '',
      neverExpires: false,
      expiresAt: '',
      department: '',
      location: '',
    };
  }
  const hasKey = detail.restEnabled && detail.keyHint !== '';
  return {
    username: detail.username,
    host: detail.host,
    fullName: detail.fullName,
    email: detail.email,
    role: detail.role,
    scope: detail.scope === 'all' ? 'all' : 'owned_shared',
    sshPublicKey: detail.sshPublicKey,
    certificate: detail.certificate,
    restEnabled: detail.restEnabled,
    apiKey: '',
    neverExpires: hasKey && detail.keyExpiresAt === '',
    expiresAt: isoToDateInput(detail.keyExpiresAt),
    department: detail.department,
    location: detail.location,
  };
}

/** Add API User / Edit API User in a modal (PMP's 12 steps). */
export function APIUserFormModal(props: Props) {
  const { mode, onClose } = props;
  const editing = mode.kind === 'edit' ? mode.username : null;
  const { detail, loadError } = useUserDetail(editing);

  const cancel = () => {
    // The backend holds a generated key until Save; Cancel makes it forget it.
    api.discardAPIKey().catch(() => undefined);
    onClose();
  };

  return (
    <Modal
      opened
      onClose={cancel}
      title={editing === null ? 'Add API User' : 'Edit API User'}
      size="lg"
      closeOnClickOutside={false}
    >
      {editing === null || detail ? (
        <APIUserForm {...props} detail={detail} onCancel={cancel} />
      ) : loadError ? (
        <Stack>
          <ErrorAlert title="Could not load the user" message={loadError.message} />
          <Group justify="flex-end">
            <Button variant="default" onClick={cancel}>
              Cancel
            </Button>
          </Group>
        </Stack>
      ) : (
        <Center py="xl">
          <Loader aria-label="Loading user" />
        </Center>
      )}
    </Modal>
  );
}

function APIUserForm({
  operator,
  roles,
  detail,
  onSaved,
  onChanged,
  onCancel,
}: Props & { detail: UserDetail | null; onCancel: () => void }) {
  const { handleError } = useSession();
  const editing = detail !== null;
  const [saving, setSaving] = useState(false);
  const [generating, setGenerating] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  // The current key's hint and expiry (edit only); Regenerate updates them.
  const [currentKey, setCurrentKey] = useState(() =>
    detail && detail.restEnabled && detail.keyHint
      ? { hint: detail.keyHint, expiresAt: detail.keyExpiresAt, status: detail.keyStatus }
      : null,
  );
  const [regenerating, setRegenerating] = useState(false);
  const self = editing && detail.username.toLowerCase() === operator.username.toLowerCase();

  const form = useForm<Values>({
    initialValues: initialValues(roles, detail),
    validate: {
      username: (v) => (!editing && v.trim() === '' ? 'Username: required' : null),
      host: (v) => (v.trim() === '' ? 'Host Name: required' : null),
      fullName: (v) => (v.trim() === '' ? 'Full Name: required' : null),
      role: (v) => (v === '' ? 'Access Level: required' : null),
      expiresAt: (v, values) =>
        values.restEnabled && !values.neverExpires && v === '' ? 'Expiry date: choose a date or Never Expires' : null,
    },
  });
  const values = form.getValues();
  const showGenerate = !currentKey || values.apiKey !== '';

  // A new key expires after the default validity set in Settings, so that
  // skipping the expiry still saves; the field says where the date came from.
  const [defaultExpiry, setDefaultExpiry] = useState<{ date: string; days: number } | null>(null);
  useEffect(() => {
    if (editing) return;
    let live = true;
    vaultApi.getKeyValidity().then(
      (v) => {
        const now = form.getValues();
        if (!live || now.expiresAt !== '' || now.neverExpires) return;
        const d = new Date();
        d.setDate(d.getDate() + v.days);
        const date = toDateInputValue(d);
        form.setFieldValue('expiresAt', date);
        setDefaultExpiry({ date, days: v.days });
      },
      () => undefined, // not allowed to read it: the operator picks a date
    );
    return () => {
      live = false;
    };
    // Once, when Add API User opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const expiryHint =
    defaultExpiry && !values.neverExpires && values.expiresAt === defaultExpiry.date
      ? `Expires on ${new Date(`${defaultExpiry.date}T12:00:00`).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })} — ${defaultExpiry.days} days, the default set in Settings. The key stops working at the end of this day.`
      : 'The key stops working at the end of this day.';

  // "SSH CLI and certificate (optional)": open when editing a user that has
  // either, and whenever either has an error (so that it can be seen and
  // focused). Opened for an error it opens at once, without the animation,
  // so that the field can take focus right away.
  const [optionalOpen, setOptionalOpen] = useState(() => OPTIONAL_FIELDS.some((f) => (detail?.[f] ?? '').trim() !== ''));
  const [openAtOnce, setOpenAtOnce] = useState(false);
  const optionalExpanded = optionalOpen || OPTIONAL_FIELDS.some((f) => form.errors[f]);
  const toggleOptional = () => {
    setOpenAtOnce(false);
    setOptionalOpen(!optionalExpanded);
  };

  // A failed Save (here or in the backend) lands on the first invalid field.
  const focusFirst = (errors: Record<string, unknown>) => {
    if (OPTIONAL_FIELDS.some((f) => errors[f]) && !optionalExpanded) {
      flushSync(() => {
        setOpenAtOnce(true);
        setOptionalOpen(true);
      });
    }
    focusFirstError(form, FIELDS, errors);
  };

  const generate = async () => {
    setGenerating(true);
    form.clearFieldError('apiKey');
    try {
      const key = await api.generateAPIKey();
      form.setFieldValue('apiKey', key);
    } catch (e) {
      form.setFieldError('apiKey', handleError(e).message);
    } finally {
      setGenerating(false);
    }
  };

  const enableRest = () => {
    form.setFieldValue('restEnabled', true);
  };

  const disableRest = () => {
    if (form.getValues().apiKey) api.discardAPIKey().catch(() => undefined);
    form.setFieldValue('apiKey', '');
    form.setFieldValue('restEnabled', false);
    form.clearFieldError('apiKey');
    form.clearFieldError('expiresAt');
  };

  const submit = async (v: Values) => {
    setFormError(null);
    setSaving(true);
    const req = {
      username: v.username.trim(),
      host: v.host.trim(),
      fullName: v.fullName.trim(),
      email: v.email.trim(),
      role: v.role,
      scope: v.scope,
      sshPublicKey: v.sshPublicKey,
      certificate: v.certificate,
      restEnabled: v.restEnabled,
      apiKey: v.restEnabled ? v.apiKey : '',
      neverExpires: v.restEnabled && v.neverExpires,
      expiresAt: v.restEnabled && !v.neverExpires ? endOfDayIso(v.expiresAt) : '',
      department: v.department,
      location: v.location,
    };
    try {
      const row = editing ? await api.updateAPIUser(detail.username, req) : await api.createAPIUser(req);
      // The key has been stored as an HMAC: forget the plaintext before anything else renders.
      form.setFieldValue('apiKey', '');
      onSaved(row, !editing);
    } catch (e) {
      const { fieldErrors, formError: rest } = splitErrors(handleError(e), FIELDS);
      form.setErrors(fieldErrors);
      setFormError(rest);
      setSaving(false);
      focusFirst(fieldErrors);
    }
  };

  const today = toDateInputValue(new Date());

  return (
    <>
      <form onSubmit={form.onSubmit(submit, focusFirst)} noValidate>
        <Stack gap="md">
          {detail && <KillSwitchRestore username={detail.username} onRestored={onChanged} />}
          <TextInput
            label="Username"
            required={!editing}
            readOnly={editing}
            description={editing ? 'Username cannot be changed' : 'Identifies the API user; one API user per host.'}
            placeholder="name@host"
            autoComplete="off"
            data-autofocus={!editing || undefined}
            key={form.key('username')}
            {...form.getInputProps('username')}
          />
          <TextInput
            label="Host Name"
            required
            description="The one host this API user may call from: a hostname, an IP address or a CIDR."
            placeholder="web01.example.com"
            autoComplete="off"
            key={form.key('host')}
            {...form.getInputProps('host')}
          />
          <TextInput
            label="Full Name"
            required
            description="Shown in reports and audit trails."
            autoComplete="off"
            key={form.key('fullName')}
            {...form.getInputProps('fullName')}
          />
          <TextInput label="Email" type="email" autoComplete="off" key={form.key('email')} {...form.getInputProps('email')} />
          <AccessFields
            operator={operator}
            roles={roles}
            role={values.role}
            scope={values.scope}
            onRoleChange={(r) => form.setFieldValue('role', r)}
            onScopeChange={(s) => form.setFieldValue('scope', s)}
            roleError={form.errors.role}
            scopeError={form.errors.scope}
            locked={self}
          />
          <Accordion
            variant="contained"
            value={optionalExpanded ? OPTIONAL_SECTION : null}
            onChange={toggleOptional}
            transitionDuration={openAtOnce ? 0 : undefined}
            // The section's title reads as a field label does.
            styles={{ label: { fontSize: 'var(--mantine-font-size-sm)', fontWeight: 500 } }}
          >
            <Accordion.Item value={OPTIONAL_SECTION}>
              <Accordion.Control>SSH CLI and certificate (optional)</Accordion.Control>
              <Accordion.Panel>
                <Stack gap="md">
                  <Textarea
                    label="Public key for SSH CLI access"
                    description="Lets this API user run RETRIEVE over SSH (Settings → SSH CLI) from its host, with this key. Optional: one authorized_keys line (ed25519, ecdsa, or rsa of 2048 bits or more)."
                    placeholder="ssh-ed25519 AAAA… backup@web01"
                    autosize
                    minRows={2}
                    maxRows={5}
                    styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                    key={form.key('sshPublicKey')}
                    {...form.getInputProps('sshPublicKey')}
                  />
                  {detail?.sshFingerprint && (
                    <Text size="xs" c="dimmed" mt={-8}>
                      Fingerprint: {detail.sshFingerprint}
                    </Text>
                  )}
                  <Textarea
                    label="SSL Certificate for XML-RPC API access"
                    description="Lets this API user authenticate to the REST and XML-RPC APIs with this client certificate instead of an API key, from its host. Optional: one PEM X.509 client certificate."
                    placeholder="-----BEGIN CERTIFICATE-----"
                    autosize
                    minRows={2}
                    maxRows={8}
                    styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                    key={form.key('certificate')}
                    {...form.getInputProps('certificate')}
                  />
                  {detail?.certificateSubject && (
                    <Text size="xs" c="dimmed" mt={-8}>
                      {detail.certificateSubject}
                      {detail.certificateNotAfter && `, valid until ${isoToDateInput(detail.certificateNotAfter)}`}
                    </Text>
                  )}
                </Stack>
              </Accordion.Panel>
            </Accordion.Item>
          </Accordion>

          <Fieldset legend="REST API" variant="filled">
            <Stack gap="md">
              {values.restEnabled ? (
                <Group gap="sm">
                  <Badge color="green" variant="light" size="lg">
                    Enabled
                  </Badge>
                  <Button variant="subtle" color="gray" size="compact-sm" onClick={disableRest}>
                    Disable REST API
                  </Button>
                </Group>
              ) : (
                <Group gap="sm">
                  <Button variant="light" onClick={enableRest}>
                    Enable Now
                  </Button>
                  <Text size="sm" c="dimmed">
                    {currentKey ? 'Saving removes the current API key.' : 'Scripts on the host fetch passwords with an API key.'}
                  </Text>
                </Group>
              )}

              {values.restEnabled && (
                <>
                  {showGenerate ? (
                    <Group gap="xs" align="flex-start" wrap="nowrap">
                      <TextInput
                        label="API Key"
                        readOnly
                        style={{ flex: 1 }}
                        placeholder="Click Generate"
                        styles={{
                          input: {
                            fontFamily: 'var(--mantine-font-family-monospace)',
                            fontSize: 'var(--mantine-font-size-xs)',
                          },
                        }}
                        onFocus={(e) => e.currentTarget.select()}
                        key={form.key('apiKey')}
                        {...form.getInputProps('apiKey')}
                      />
                      <Group gap="xs" mt={25} wrap="nowrap">
                        <Button variant="default" onClick={generate} loading={generating}>
                          Generate
                        </Button>
                        <CopyKeyButton text={values.apiKey} />
                      </Group>
                    </Group>
                  ) : (
                    <Group gap="xs" align="flex-start" wrap="nowrap">
                      <TextInput
                        label="API Key"
                        readOnly
                        style={{ flex: 1 }}
                        value={currentKey ? keyHintText(currentKey.hint) : ''}
                        description={`Only the first characters are kept${
                          currentKey ? `; ${keyExpiryText({ keyHint: currentKey.hint, keyExpiresAt: currentKey.expiresAt, keyStatus: currentKey.status })}` : ''
                        }. The key cannot be shown again.`}
                        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                        error={form.errors.apiKey}
                        data-path="apiKey"
                      />
                      <Button variant="default" color="orange" mt={25} onClick={() => setRegenerating(true)}>
                        Regenerate API Key
                      </Button>
                    </Group>
                  )}
                  {values.apiKey !== '' && <KeyOnceWarning />}
                  <Checkbox
                    label="Never Expires"
                    key={form.key('neverExpires')}
                    {...form.getInputProps('neverExpires', { type: 'checkbox' })}
                  />
                  <TextInput
                    label="Expiry Date"
                    type="date"
                    min={today}
                    disabled={values.neverExpires}
                    description={expiryHint}
                    key={form.key('expiresAt')}
                    {...form.getInputProps('expiresAt')}
                  />
                </>
              )}
            </Stack>
          </Fieldset>

          <TextInput label="Department" key={form.key('department')} {...form.getInputProps('department')} />
          <TextInput label="Location" key={form.key('location')} {...form.getInputProps('location')} />

          <FormFooter errorTitle="Could not save the API user" error={formError} saving={saving} onCancel={onCancel} />
        </Stack>
      </form>
      {regenerating && detail && (
        <RegenerateKeyModal
          username={detail.username}
          onClose={() => setRegenerating(false)}
          onRegenerated={(row) => {
            setCurrentKey({ hint: row.keyHint, expiresAt: row.keyExpiresAt, status: row.keyStatus });
            onChanged();
          }}
        />
      )}
    </>
  );
}
