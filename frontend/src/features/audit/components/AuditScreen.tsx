import { Alert, Button, Card, Group, Loader, NativeSelect, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import {
  auditApi,
  type AppError,
  type AuditFilter,
  type AuditRecord,
  type AuditResult,
  type ExportFormat,
  type ExportResult,
  type IntegrityResult,
} from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { useAuditTrail } from '../api/useAuditTrail';
import { EMPTY_FILTER, countRecords, formatDateTimeSeconds, localInputToRfc3339 } from '../format';
import { useAuditIntegrity } from '../integrity-context';
import { AuditRecordDrawer } from './AuditRecordDrawer';
import { AuditTable } from './AuditTable';

/** What the filter fields hold (From and To as datetime-local values). */
type Draft = AuditFilter;

const RESULT_OPTIONS = [
  { value: '', label: 'All' },
  { value: 'success', label: 'Success' },
  { value: 'failure', label: 'Failure' },
];

const FORMAT_LABELS: Record<ExportFormat, string> = { csv: 'CSV', jsonl: 'JSON Lines' };

function toFilter(d: Draft): AuditFilter {
  return {
    from: localInputToRfc3339(d.from),
    to: localInputToRfc3339(d.to),
    actor: d.actor.trim(),
    operation: d.operation.trim(),
    target: d.target.trim(),
    result: d.result,
    source: d.source.trim(),
  };
}

function VerifyResult({ result }: { result: IntegrityResult }) {
  const at = result.at ? ` Checked ${formatDateTimeSeconds(result.at)}.` : '';
  if (result.ok) {
    return (
      <Alert color="green" variant="light" title="Audit trail verified" role="status">
        {`All ${result.records.toLocaleString('en-US')} records verified.${at}`}
      </Alert>
    );
  }
  return (
    <Alert color="red" variant="light" title="Verification failed" role="alert">
      {`${result.message || 'The audit chain does not verify.'}${at}`}
    </Alert>
  );
}

/** The audit trail: filters, newest first, a page at a time, verify and export. */
export function AuditScreen({ initialFilter = {} }: { initialFilter?: Partial<AuditFilter> }) {
  const { handleError } = useSession();
  const { setIntegrity } = useAuditIntegrity();
  // A link (from Home) opens the trail filtered; From and To come as RFC 3339.
  const [draft, setDraft] = useState<Draft>(() => ({ ...EMPTY_FILTER, ...initialFilter, from: '', to: '' }));
  const [filter, setFilter] = useState<AuditFilter>(() => ({ ...EMPTY_FILTER, ...initialFilter }));
  const trail = useAuditTrail(filter);
  const [selected, setSelected] = useState<AuditRecord | null>(null);

  const [verifying, setVerifying] = useState(false);
  const [verified, setVerified] = useState<IntegrityResult | null>(null);
  const [verifyError, setVerifyError] = useState<AppError | null>(null);

  const [exporting, setExporting] = useState<ExportFormat | null>(null);
  const [progress, setProgress] = useState(0);
  const [exported, setExported] = useState<ExportResult | null>(null);
  const [exportError, setExportError] = useState<AppError | null>(null);

  const fieldErrors = trail.error?.fieldMessages() ?? {};
  const formError = trail.error && Object.keys(fieldErrors).length === 0 ? trail.error.message : null;

  const set = (field: keyof Draft) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilter(toFilter(draft));
    // The same filter again still reloads: new records may have arrived.
    trail.refresh();
  };

  const clear = () => {
    setDraft(EMPTY_FILTER);
    setFilter(EMPTY_FILTER);
  };

  const verify = async () => {
    setVerifying(true);
    setVerified(null);
    setVerifyError(null);
    try {
      const result = await auditApi.verifyAudit();
      setVerified(result);
      setIntegrity(result);
    } catch (e) {
      setVerifyError(handleError(e));
    } finally {
      setVerifying(false);
    }
  };

  const runExport = async (format: ExportFormat) => {
    setExporting(format);
    setProgress(0);
    setExported(null);
    setExportError(null);
    const stop = auditApi.onExportProgress(setProgress);
    try {
      setExported(await auditApi.exportAudit(format, filter));
    } catch (e) {
      setExportError(handleError(e));
    } finally {
      stop();
      setExporting(null);
    }
  };

  const busy = exporting !== null;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <Stack gap={4}>
          <Title order={1} size="h2">
            Audit Trail
          </Title>
          <Text c="dimmed" size="sm">
            Every action, newest first. Records are hash-chained: editing, removing or reordering one breaks the chain.
          </Text>
        </Stack>
        <Group gap="sm">
          <Button variant="default" onClick={verify} loading={verifying} disabled={verifying}>
            Verify integrity
          </Button>
          <Button variant="default" onClick={() => runExport('csv')} loading={exporting === 'csv'} disabled={busy}>
            Export CSV
          </Button>
          <Button variant="default" onClick={() => runExport('jsonl')} loading={exporting === 'jsonl'} disabled={busy}>
            Export JSON Lines
          </Button>
        </Group>
      </Group>

      {verified && <VerifyResult result={verified} />}
      <ErrorAlert title="Could not verify the audit trail" message={verifyError?.message} />

      {exporting && (
        <Group gap="sm" role="status">
          <Loader size="xs" />
          <Text size="sm">
            Exporting {FORMAT_LABELS[exporting]}… {countRecords(progress)} written
          </Text>
        </Group>
      )}
      {exported && (
        <Alert color="green" variant="light" title="Export finished" role="status" withCloseButton closeButtonLabel="Close" onClose={() => setExported(null)}>
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {`Exported ${countRecords(exported.records)} to ${exported.path}`}
          </Text>
        </Alert>
      )}
      <ErrorAlert title="Could not export the audit trail" message={exportError?.message} />

      <Card withBorder radius="lg" padding="md" component="form" onSubmit={apply} aria-label="Filters">
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" verticalSpacing="xs">
            <TextInput
              type="datetime-local"
              label="From"
              value={draft.from}
              onChange={(e) => set('from')(e.currentTarget.value)}
              error={fieldErrors.from}
            />
            <TextInput
              type="datetime-local"
              label="To"
              value={draft.to}
              onChange={(e) => set('to')(e.currentTarget.value)}
              error={fieldErrors.to}
            />
            <TextInput
              label="Actor"
              placeholder="Username"
              value={draft.actor}
              onChange={(e) => set('actor')(e.currentTarget.value)}
            />
            <TextInput
              label="Operation"
              placeholder="e.g. log in"
              value={draft.operation}
              onChange={(e) => set('operation')(e.currentTarget.value)}
            />
            <TextInput
              label="Target"
              placeholder="Part of the target"
              value={draft.target}
              onChange={(e) => set('target')(e.currentTarget.value)}
            />
            <NativeSelect
              label="Result"
              data={RESULT_OPTIONS}
              value={draft.result}
              onChange={(e) => set('result')(e.currentTarget.value as AuditResult)}
            />
            <TextInput
              label="Source Address"
              placeholder="e.g. desktop or 10.0.0.7"
              value={draft.source}
              onChange={(e) => set('source')(e.currentTarget.value)}
            />
            <Group gap="sm" align="flex-end">
              <Button type="submit">Apply</Button>
              <Button type="button" variant="default" onClick={clear}>
                Clear
              </Button>
            </Group>
          </SimpleGrid>
        </Stack>
      </Card>

      <ErrorAlert title="Could not load the audit trail" message={formError} />

      <Stack gap="sm">
        <Group justify="space-between" gap="sm">
          <Text size="sm" c="dimmed" aria-live="polite">
            {trail.loading
              ? 'Loading…'
              : `Showing ${countRecords(trail.records.length)}${trail.hasMore ? ', newest first; more below' : ''}`}
          </Text>
        </Group>
        <AuditTable records={trail.records} loading={trail.loading} onOpen={setSelected} />
        {trail.hasMore && (
          <Group justify="center">
            <Button variant="default" onClick={trail.loadMore} loading={trail.loadingMore} disabled={trail.loadingMore}>
              Load more
            </Button>
          </Group>
        )}
      </Stack>

      <AuditRecordDrawer record={selected} onClose={() => setSelected(null)} />
    </Stack>
  );
}
