import { Button, Group, Modal, Stack, Table, Text, Textarea, type TextareaProps } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FormButtons } from '../../../components/FormFooter';
import { useLoad } from '../../../hooks/useLoad';
import { vaultApi, type CertificateView, type Operator } from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { splitErrors } from '../../users/formErrors';
import { formatDateTime } from '../../users/format';
import { SettingsCard } from './SettingsCard';

/** The import form's fields; the backend names the certificate field "certificate". */
interface ImportValues {
  certificate: string;
  privateKey: string;
}

const IMPORT_FIELDS: (keyof ImportValues)[] = ['certificate', 'privateKey'];

const PEM_STYLES = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };

/** A growing monospace box for a PEM block. */
function PemTextarea(props: TextareaProps) {
  return <Textarea autosize minRows={4} maxRows={10} spellCheck={false} autoComplete="off" styles={PEM_STYLES} {...props} />;
}

export function certificateKindText(cert: Pick<CertificateView, 'imported'>): string {
  return cert.imported
    ? 'Imported (your own; renew it yourself)'
    : 'Self-signed (renewed automatically 30 days before it expires)';
}

/** Subject, expiry and kind; the fingerprint is in the REST API card above. */
function Details({ cert }: { cert: CertificateView }) {
  return (
    <Table variant="vertical" layout="fixed" withTableBorder>
      <Table.Tbody>
        <Table.Tr>
          <Table.Th scope="row" w={200}>
            Subject
          </Table.Th>
          <Table.Td style={{ wordBreak: 'break-all' }}>{cert.subject || '—'}</Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th scope="row">Expires</Table.Th>
          <Table.Td>
            <time dateTime={cert.notAfter}>{formatDateTime(cert.notAfter) || '—'}</time>
          </Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th scope="row">Type</Table.Th>
          <Table.Td>{certificateKindText(cert)}</Table.Td>
        </Table.Tr>
      </Table.Tbody>
    </Table>
  );
}

/** Import certificate: the PEM certificate and its private key; a bad pair is named under Certificate (PEM). */
function ImportModal({ onClose, onImported }: { onClose: () => void; onImported: (cert: CertificateView) => void }) {
  const { handleError } = useSession();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<ImportValues>({ initialValues: { certificate: '', privateKey: '' } });

  const submit = async (v: ImportValues) => {
    setFormError(null);
    setSaving(true);
    try {
      const cert = await vaultApi.importServerCertificate(v.certificate, v.privateKey);
      onImported(cert);
    } catch (e) {
      const { fieldErrors, formError: rest } = splitErrors(handleError(e), IMPORT_FIELDS);
      form.setErrors(fieldErrors);
      setFormError(rest);
      setSaving(false);
      if (fieldErrors.certificate) form.getInputNode('certificate')?.focus();
    }
  };

  return (
    <Modal opened onClose={onClose} title="Import certificate" size="lg" centered closeOnClickOutside={!saving}>
      <form onSubmit={form.onSubmit(submit)} noValidate>
        <Stack gap="md">
          <PemTextarea
            label="Certificate (PEM)"
            description="The server certificate, optionally followed by its intermediate certificates."
            placeholder="-----BEGIN CERTIFICATE-----"
            data-autofocus
            key={form.key('certificate')}
            {...form.getInputProps('certificate')}
          />
          <PemTextarea
            label="Private key (PEM)"
            description="The key stays in the encrypted store; it is never written to a file."
            placeholder="-----BEGIN PRIVATE KEY-----"
            key={form.key('privateKey')}
            {...form.getInputProps('privateKey')}
          />
          <ErrorAlert title="Could not import the certificate" message={formError} />
          <Group justify="space-between" align="center">
            <Text size="sm" c="dimmed">
              Importing restarts the REST API with this certificate.
            </Text>
            <FormButtons gap="sm" saving={saving} onCancel={onClose} submitLabel="Import" />
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Asks before replacing the imported certificate with a new self-signed one. */
function UseSelfSignedModal({ onClose, onDone }: { onClose: () => void; onDone: (cert: CertificateView) => void }) {
  const { handleError } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      onDone(await vaultApi.useSelfSignedCertificate());
    } catch (e) {
      setError(handleError(e).message);
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title="Use a self-signed certificate" centered>
      <Stack gap="md">
        <Text size="sm">
          Replace your imported certificate with a new self-signed one? The REST API restarts with it, and clients must
          then trust its new fingerprint.
        </Text>
        <ErrorAlert title="Could not switch to a self-signed certificate" message={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button onClick={() => void confirm()} loading={busy}>
            Use self-signed
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

type Dialog = 'import' | 'selfSigned' | null;

/**
 * Server certificate: the TLS certificate the REST API serves, and (with
 * settings.manage) importing one's own or going back to self-signed.
 * onChanged runs after either, when the REST API has restarted with it.
 */
export function ServerCertificateCard({ operator, onChanged }: { operator: Operator; onChanged: () => void }) {
  const loaded = useLoad(vaultApi.getServerCertificate, []);
  // The certificate a change returned, shown while the card reloads.
  const [changed, setChanged] = useState<CertificateView | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState('');
  const cert = (loaded.loading ? changed : null) ?? loaded.data ?? changed;
  const editable = operator.permissions.includes('settings.manage');

  const done = (next: CertificateView, message: string) => {
    setDialog(null);
    setChanged(next);
    setNotice(message);
    loaded.reload();
    onChanged();
  };

  return (
    <SettingsCard
      id="server-certificate-title"
      title="Server certificate"
      description="The TLS certificate the REST API presents to its clients."
      loadingText="Loading the server certificate…"
      errorTitle="Could not load the server certificate"
      loading={!cert}
      error={loaded.error}
    >
      {cert && (
        <>
          <Details cert={cert} />
          {notice && (
            <Text size="sm" c="green" role="status">
              {notice}
            </Text>
          )}
          {editable ? (
            <Group justify="flex-end" gap="sm">
              {cert.imported && (
                <Button variant="default" onClick={() => setDialog('selfSigned')}>
                  Use a self-signed certificate
                </Button>
              )}
              <Button onClick={() => setDialog('import')}>Import certificate…</Button>
            </Group>
          ) : (
            <Text size="sm" c="dimmed">
              Only operators who may manage security settings can change it.
            </Text>
          )}
        </>
      )}
      {dialog === 'import' && (
        <ImportModal
          onClose={() => setDialog(null)}
          onImported={(next) => done(next, 'Certificate imported. The REST API restarted with it.')}
        />
      )}
      {dialog === 'selfSigned' && (
        <UseSelfSignedModal
          onClose={() => setDialog(null)}
          onDone={(next) => done(next, 'Self-signed certificate in use. The REST API restarted with it.')}
        />
      )}
    </SettingsCard>
  );
}
