import {
  Alert,
  Button,
  Checkbox,
  FileInput,
  Fieldset,
  Group,
  Modal,
  Progress,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import {
  bulkApi,
  type BulkCommon,
  type BulkPreview,
  type BulkProgress,
  type BulkResult,
  type BulkRow,
  type Operator,
  type RoleView,
  type Scope,
} from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { SCOPE_LABELS, endOfDayIso, toDateInputValue } from '../format';
import { AccessFields } from './AccessFields';
import { BulkFixRowModal } from './BulkFixRowModal';
import { BulkPreviewTable, type BulkDefaultsText } from './BulkPreviewTable';

type Source = 'hosts' | 'csv';
type Step = 'input' | 'preview' | 'creating' | 'done';

const CSV_COLUMNS = 'Username, Host Name, Full Name, Access Level, Access Scope, Department, Location, Expiry Date, SSH Public Key';

interface Props {
  operator: Operator;
  roles: RoleView[];
  onClose: () => void;
  /** Users were created (the list should reload); the modal stays open on its summary. */
  onCreated: (result: BulkResult) => void;
}

function defaultRole(roles: RoleView[]): string {
  return roles.find((r) => r.id === 'password_user')?.id ?? roles[0]?.id ?? '';
}

/** The text of an opened file (FileReader: every webview has it). */
function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(new Error(`Cannot read ${file.name}`));
    reader.readAsText(file);
  });
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/**
 * Add API Users in Bulk: a host list or a CSV file, the fields common to all
 * rows, a preview that validates every row before anything is written (bad
 * rows fixed in place, or skipped on purpose), creation in batches with a
 * progress bar and Cancel, and the keys delivered once into a file (and,
 * optionally, sealed per host with age). The keys never reach this window.
 */
export function BulkAPIUsersModal({ operator, roles, onClose, onCreated }: Props) {
  const { handleError } = useSession();
  const [step, setStep] = useState<Step>('input');
  const [source, setSource] = useState<Source>('hosts');
  const [hostsText, setHostsText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [prefix, setPrefix] = useState('');
  const [role, setRole] = useState(() => defaultRole(roles));
  const [scope, setScope] = useState<Scope>('owned_shared');
  const [restEnabled, setRestEnabled] = useState(true);
  const [neverExpires, setNeverExpires] = useState(false);
  const [expiresAt, setExpiresAt] = useState('');
  const [inputErrors, setInputErrors] = useState<{ source?: string; expiresAt?: string }>({});

  const [rows, setRows] = useState<BulkRow[]>([]);
  const [preview, setPreview] = useState<BulkPreview | null>(null);
  const [onlyBad, setOnlyBad] = useState(false);
  const [fixing, setFixing] = useState<number | null>(null);
  const [skipBad, setSkipBad] = useState(false);
  const [keyFile, setKeyFile] = useState('');
  const [seal, setSeal] = useState(false);
  const [sealDir, setSealDir] = useState('');
  const [deliveryErrors, setDeliveryErrors] = useState<{ keyFile?: string; sealDir?: string }>({});

  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<BulkProgress | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [result, setResult] = useState<BulkResult | null>(null);
  const unsubscribe = useRef<(() => void) | null>(null);

  useEffect(() => () => unsubscribe.current?.(), []);

  const common = (): BulkCommon => ({
    prefix: prefix.trim(),
    role,
    scope,
    restEnabled,
    neverExpires: restEnabled && neverExpires,
    expiresAt: restEnabled && !neverExpires ? endOfDayIso(expiresAt) : '',
  });

  const roleName = roles.find((r) => r.id === role)?.name ?? role;
  const defaults: BulkDefaultsText = {
    accessLevel: roleName,
    accessScope: SCOPE_LABELS[scope],
    expiryDate: !restEnabled ? 'REST API off' : neverExpires ? 'Never Expires' : expiresAt,
  };

  const check = async (next: BulkRow[]) => {
    const p = await bulkApi.checkBulkAPIUsers(next, common());
    setRows(next);
    setPreview(p);
    if (p.bad === 0) setOnlyBad(false);
    return p;
  };

  const toPreview = async () => {
    const errs: typeof inputErrors = {};
    if (source === 'hosts' && hostsText.trim() === '') errs.source = 'Host Names: paste one host a line';
    if (source === 'csv' && !file) errs.source = 'CSV file: choose a file';
    if (restEnabled && !neverExpires && expiresAt === '') errs.expiresAt = 'Expiry date: choose a date or Never Expires';
    setInputErrors(errs);
    if (Object.keys(errs).length > 0) return;
    setError(null);
    setBusy(true);
    try {
      const parsed = source === 'hosts' ? await bulkApi.parseBulkHosts(hostsText) : await bulkApi.parseBulkCSV(await readText(file!));
      await check(parsed);
      setSkipBad(false);
      setStep('preview');
    } catch (e) {
      setError(handleError(e).message);
    } finally {
      setBusy(false);
    }
  };

  const shown = useMemo(() => {
    const all = rows.map((_, i) => i);
    return onlyBad && preview ? all.filter((i) => (preview.rows[i]?.errors.length ?? 0) > 0) : all;
  }, [rows, preview, onlyBad]);

  const recheck = async (next: BulkRow[]) => {
    setFixing(null);
    setError(null);
    setBusy(true);
    try {
      await check(next);
    } catch (e) {
      setError(handleError(e).message);
    } finally {
      setBusy(false);
    }
  };

  const chooseKeyFile = async () => {
    try {
      const path = await bulkApi.chooseKeyFile();
      if (path) {
        setKeyFile(path);
        setDeliveryErrors((d) => ({ ...d, keyFile: undefined }));
      }
    } catch (e) {
      setError(handleError(e).message);
    }
  };

  const chooseSealDir = async () => {
    try {
      const path = await bulkApi.chooseSealDirectory();
      if (path) {
        setSealDir(path);
        setDeliveryErrors((d) => ({ ...d, sealDir: undefined }));
      }
    } catch (e) {
      setError(handleError(e).message);
    }
  };

  const bad = preview?.bad ?? 0;
  const toCreate = rows.length - (skipBad ? bad : 0);
  const sealable = preview ? preview.rows.filter((r) => r.sealable && (!skipBad || r.errors.length === 0)).length : 0;

  const create = async () => {
    const errs: typeof deliveryErrors = {};
    if (restEnabled && keyFile.trim() === '') errs.keyFile = 'Key file: choose where to save the keys';
    if (seal && sealDir.trim() === '') errs.sealDir = 'Directory for sealed keys: choose a directory';
    setDeliveryErrors(errs);
    if (Object.keys(errs).length > 0) return;
    setError(null);
    setCancelling(false);
    setProgress({ done: 0, total: toCreate });
    setStep('creating');
    unsubscribe.current = bulkApi.onBulkProgress(setProgress);
    try {
      const res = await bulkApi.createBulkAPIUsers({
        rows,
        common: common(),
        skipBad,
        keyFile: restEnabled ? keyFile.trim() : '',
        sealDir: restEnabled && seal ? sealDir.trim() : '',
      });
      setResult(res);
      setStep('done');
      onCreated(res);
    } catch (e) {
      const err = handleError(e);
      const fields = err.fieldMessages();
      if (fields.keyFile || fields.sealDir) setDeliveryErrors({ keyFile: fields.keyFile, sealDir: fields.sealDir });
      setError(err.message);
      setStep('preview');
      // Some users may exist (a failure after the first batch): reload the list.
      onCreated({ total: 0, created: 0, skipped: 0, inKeyFile: 0, sealed: 0, cancelled: false, keyFile: '', sealDir: '', message: '' });
    } finally {
      unsubscribe.current?.();
      unsubscribe.current = null;
    }
  };

  const cancel = () => {
    setCancelling(true);
    bulkApi.cancelBulkCreate().catch(() => undefined);
  };

  const today = toDateInputValue(new Date());
  const title = 'Add API Users in Bulk';

  return (
    <Modal
      opened
      onClose={step === 'creating' ? () => undefined : onClose}
      withCloseButton={step !== 'creating'}
      closeOnEscape={step !== 'creating'}
      title={title}
      size="90%"
      closeOnClickOutside={false}
    >
      {step === 'input' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void toPreview();
          }}
          noValidate
        >
          <Stack gap="md">
            <SegmentedControl
              aria-label="Source"
              value={source}
              onChange={(v) => setSource(v as Source)}
              data={[
                { value: 'hosts', label: 'Paste hosts' },
                { value: 'csv', label: 'Open a CSV file' },
              ]}
            />
            {source === 'hosts' ? (
              <Textarea
                label="Host Names"
                description="One host a line: a hostname, an IP address or a CIDR. Blank lines and lines starting with # are left out."
                placeholder={'web01.example.com\n10.0.0.7'}
                autosize
                minRows={5}
                maxRows={12}
                value={hostsText}
                onChange={(e) => setHostsText(e.currentTarget.value)}
                error={inputErrors.source}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                data-autofocus
              />
            ) : (
              <FileInput
                label="CSV file"
                description={`A header row naming the columns, in any order and case: ${CSV_COLUMNS}. Host Name is required; an empty cell takes the value set below.`}
                placeholder="Choose a .csv file"
                accept=".csv,text/csv"
                value={file}
                onChange={setFile}
                error={inputErrors.source}
                clearable
              />
            )}
            <TextInput
              label="Username prefix"
              description={`A row without a Username gets ${prefix.trim() ? `${prefix.trim()}@<host>` : '<prefix>@<host>, or the host itself without a prefix'}.`}
              placeholder="backup"
              value={prefix}
              onChange={(e) => setPrefix(e.currentTarget.value)}
              autoComplete="off"
            />
            <Fieldset legend="For all rows" variant="filled">
              <Stack gap="md">
                <AccessFields
                  operator={operator}
                  roles={roles}
                  role={role}
                  scope={scope}
                  onRoleChange={setRole}
                  onScopeChange={setScope}
                />
                <Checkbox
                  label="Enable REST API (a key for each user, delivered once in a file)"
                  checked={restEnabled}
                  onChange={(e) => setRestEnabled(e.currentTarget.checked)}
                />
                {restEnabled && (
                  <>
                    <Checkbox
                      label="Never Expires"
                      checked={neverExpires}
                      onChange={(e) => setNeverExpires(e.currentTarget.checked)}
                    />
                    <TextInput
                      label="Expiry Date"
                      type="date"
                      min={today}
                      disabled={neverExpires}
                      description="The keys stop working at the end of this day."
                      value={expiresAt}
                      onChange={(e) => setExpiresAt(e.currentTarget.value)}
                      error={inputErrors.expiresAt}
                    />
                  </>
                )}
              </Stack>
            </Fieldset>
            <ErrorAlert title="Could not read the list" message={error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose} disabled={busy}>
                Cancel
              </Button>
              <Button type="submit" loading={busy}>
                Preview
              </Button>
            </Group>
          </Stack>
        </form>
      )}

      {(step === 'preview' || step === 'creating') && preview && (
        <Stack gap="md">
          <Group justify="space-between" align="center">
            <Text aria-live="polite">
              {plural(rows.length, 'row', 'rows')}: {plural(rows.length - bad, 'ready', 'ready')}
              {bad > 0 && `, ${plural(bad, 'with errors', 'with errors')}`}
            </Text>
            {bad > 0 && (
              <Checkbox
                label="Show only rows with errors"
                checked={onlyBad}
                onChange={(e) => setOnlyBad(e.currentTarget.checked)}
                disabled={step === 'creating'}
              />
            )}
          </Group>
          <BulkPreviewTable rows={rows} checks={preview.rows} shown={shown} defaults={defaults} onFix={setFixing} />
          {bad > 0 && (
            <Alert color="red" variant="light" title="Nothing is created while a row has errors">
              <Stack gap="xs">
                <Text size="sm">Fix the marked rows, or leave them out on purpose.</Text>
                <Checkbox
                  label={`Skip the ${plural(bad, 'bad row', 'bad rows')} and create the others`}
                  checked={skipBad}
                  onChange={(e) => setSkipBad(e.currentTarget.checked)}
                  disabled={step === 'creating'}
                />
              </Stack>
            </Alert>
          )}

          {restEnabled && (
            <Fieldset legend="Key delivery" variant="filled" disabled={step === 'creating'}>
              <Stack gap="sm">
                <Group gap="xs" align="flex-start" wrap="nowrap">
                  <TextInput
                    label="Key file"
                    description="A CSV file (username, host, key), mode 0600. The keys are written only there: Hostbound keeps no copy."
                    placeholder="/home/you/hostbound-api-keys.csv"
                    style={{ flex: 1 }}
                    value={keyFile}
                    onChange={(e) => setKeyFile(e.currentTarget.value)}
                    error={deliveryErrors.keyFile}
                  />
                  <Button variant="default" mt={46} onClick={() => void chooseKeyFile()}>
                    Save As…
                  </Button>
                </Group>
                <Checkbox
                  label={`Seal the keys of hosts with an ed25519 or RSA SSH key, one age file per host (${plural(sealable, 'row', 'rows')})`}
                  description="<username>.key.age opens only on that host: age -d -i ~/.ssh/id_ed25519 <file>. Those keys stay out of the key file."
                  checked={seal}
                  disabled={sealable === 0}
                  onChange={(e) => setSeal(e.currentTarget.checked)}
                />
                {seal && (
                  <Group gap="xs" align="flex-start" wrap="nowrap">
                    <TextInput
                      label="Directory for sealed keys"
                      style={{ flex: 1 }}
                      value={sealDir}
                      onChange={(e) => setSealDir(e.currentTarget.value)}
                      error={deliveryErrors.sealDir}
                    />
                    <Button variant="default" mt={25} onClick={() => void chooseSealDir()}>
                      Choose…
                    </Button>
                  </Group>
                )}
              </Stack>
            </Fieldset>
          )}

          {step === 'creating' && progress && (
            <Stack gap={4}>
              <Progress
                value={progress.total > 0 ? (100 * progress.done) / progress.total : 0}
                aria-label="Creation progress"
                size="lg"
                animated
              />
              <Text size="sm" aria-live="polite">
                {cancelling
                  ? `Cancelling after the current batch… ${plural(progress.done, 'API user', 'API users')} created`
                  : `${progress.done.toLocaleString('en-US')} of ${plural(progress.total, 'API user', 'API users')} created`}
              </Text>
            </Stack>
          )}

          <ErrorAlert title="Could not create the API users" message={error} />
          <Group justify="space-between">
            {step === 'preview' ? (
              <Button variant="default" onClick={() => setStep('input')} disabled={busy}>
                Back
              </Button>
            ) : (
              <span />
            )}
            <Group>
              {step === 'creating' ? (
                <Button variant="default" color="red" onClick={cancel} disabled={cancelling}>
                  Cancel
                </Button>
              ) : (
                <>
                  <Button variant="default" onClick={onClose} disabled={busy}>
                    Cancel
                  </Button>
                  <Button onClick={() => void create()} disabled={busy || toCreate === 0 || (bad > 0 && !skipBad)}>
                    {`Create ${plural(toCreate, 'API User', 'API Users')}`}
                  </Button>
                </>
              )}
            </Group>
          </Group>
        </Stack>
      )}

      {step === 'done' && result && (
        <Stack gap="md">
          <Alert color={result.cancelled ? 'yellow' : 'green'} variant="light" title={result.cancelled ? 'Cancelled' : 'API users created'}>
            {result.message}
          </Alert>
          {result.keyFile && (
            <Text size="sm">
              {plural(result.inKeyFile, 'key', 'keys')} saved to <Text span ff="monospace">{result.keyFile}</Text> (mode 0600).
            </Text>
          )}
          {result.sealed > 0 && (
            <Text size="sm">
              {plural(result.sealed, 'sealed key file', 'sealed key files')} in{' '}
              <Text span ff="monospace">
                {result.sealDir}
              </Text>
              .
            </Text>
          )}
          {result.created > 0 && restEnabled && (
            <Alert color="yellow" variant="light" title="The keys are in the file only">
              Hostbound keeps no copy of these keys and cannot show them again. Move each key to its host, then delete the file.
            </Alert>
          )}
          <Group justify="flex-end">
            <Button onClick={onClose}>Close</Button>
          </Group>
        </Stack>
      )}

      {fixing !== null && preview && rows[fixing] && preview.rows[fixing] && (
        <BulkFixRowModal
          row={rows[fixing]}
          check={preview.rows[fixing]}
          defaults={defaults}
          onClose={() => setFixing(null)}
          onApply={(row) => void recheck(rows.map((r, i) => (i === fixing ? row : r)))}
          onRemove={() => void recheck(rows.filter((_, i) => i !== fixing))}
        />
      )}
    </Modal>
  );
}
