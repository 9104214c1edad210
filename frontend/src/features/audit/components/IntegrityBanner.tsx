import { Alert, Text } from '@mantine/core';
import { formatDateTimeSeconds } from '../format';
import { useAuditIntegrity } from '../integrity-context';

/** A red banner while the last audit chain verification failed. */
export function IntegrityBanner() {
  const { integrity } = useAuditIntegrity();
  if (!integrity || !integrity.checked || integrity.ok) return null;
  return (
    <Alert color="red" variant="light" title="Audit trail integrity check failed" role="alert" mb="md">
      <Text size="sm">{integrity.message || 'The audit chain does not verify.'}</Text>
      {integrity.at && (
        <Text size="xs" c="dimmed" mt={4}>
          Checked {formatDateTimeSeconds(integrity.at)}. Records may have been edited, removed or reordered outside Hostbound.
        </Text>
      )}
    </Alert>
  );
}
