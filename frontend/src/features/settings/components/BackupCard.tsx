import { Alert, Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { formatBytes } from '../../../lib/format';
import type { BackupResult, Operator } from '../../../lib/wails';
import { RestoreBackupModal } from '../../session/components/RestoreBackupModal';
import { SettingsCard } from './SettingsCard';
import { BackupCreateModal } from './BackupCreateModal';

/** "Backup written to PATH (N records, SIZE)". */
export function backupWrittenMessage(r: BackupResult): string {
  return `Backup written to ${r.path} (${r.records.toLocaleString('en-US')} records, ${formatBytes(r.bytes)})`;
}

/** Backup and restore: for operators whose role has Run backups. */
export function BackupCard({ operator }: { operator: Operator }) {
  const allowed = operator.permissions.includes('backup.run');
  const [dialog, setDialog] = useState<'create' | 'restore' | null>(null);
  const [written, setWritten] = useState<BackupResult | null>(null);

  return (
    <SettingsCard
      id="backup-title"
      title="Backup and restore"
      description="An encrypted backup file of the whole vault, protected by a passphrase you choose; a restore verifies the whole file before it replaces anything."
      loadingText=""
      errorTitle=""
      loading={false}
      error={null}
    >
      {allowed ? (
        <>
          <Group gap="sm">
            <Button onClick={() => setDialog('create')}>Create backup…</Button>
            <Button variant="default" color="red" onClick={() => setDialog('restore')}>
              Restore from backup…
            </Button>
          </Group>
          {written && (
            <Alert color="green" variant="light" title="Backup written" role="status" withCloseButton onClose={() => setWritten(null)}>
              <Text size="sm" style={{ wordBreak: 'break-all' }}>
                {backupWrittenMessage(written)}
              </Text>
              <Text size="xs" c="dimmed" mt={4}>
                It holds the audit trail up to record {written.auditRecords.toLocaleString('en-US')}. Keep the file and its
                passphrase apart: whoever has both has every password in it.
              </Text>
            </Alert>
          )}
        </>
      ) : (
        <Text size="sm" c="dimmed">
          Backups need a role with Run backups.
        </Text>
      )}
      {dialog === 'create' && (
        <BackupCreateModal
          onClose={() => setDialog(null)}
          onWritten={(r) => {
            setWritten(r);
            setDialog(null);
          }}
        />
      )}
      {dialog === 'restore' && <RestoreBackupModal onClose={() => setDialog(null)} />}
    </SettingsCard>
  );
}
