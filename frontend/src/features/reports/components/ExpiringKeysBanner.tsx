import { Alert, Button, Group, List, Text } from '@mantine/core';
import { useState } from 'react';
import { useLoad } from '../../../hooks/useLoad';
import { auditApi, type Operator } from '../../../lib/wails';
import { canSeeKeyExpiry } from '../../audit/permissions';
import { formatDateTime, keyExpiryText } from '../../users/format';

/** Usernames the banner lists; the rest are counted. */
export const BANNER_LIST_MAX = 5;

function headline(n: number): string {
  return n === 1 ? '1 API key expires within 30 days' : `${n.toLocaleString('en-US')} API keys expire within 30 days`;
}

/** After login: the API keys that expire within 30 days, until dismissed (a region named by its title). */
export function ExpiringKeysBanner({ operator }: { operator: Operator }) {
  const allowed = canSeeKeyExpiry(operator);
  // A banner is no place for an error: the Reports screen shows it.
  const { data: page } = useLoad(allowed ? auditApi.listExpiringKeys : null, [allowed]);
  const [dismissed, setDismissed] = useState(false);

  if (!allowed || dismissed || !page || page.rows.length === 0) return null;
  const total = Math.max(page.total, page.rows.length);
  const shown = page.rows.slice(0, BANNER_LIST_MAX);
  const more = total - shown.length;

  return (
    <Alert color="yellow" variant="light" title={headline(total)} mb="md" role="region">
      <Group justify="space-between" align="flex-end" wrap="nowrap" gap="md">
        <div>
          <List size="sm" spacing={2}>
            {shown.map((r) => (
              <List.Item key={r.username}>
                <Text span size="sm" fw={600}>
                  {r.username}
                </Text>{' '}
                <Text span size="sm">
                  {keyExpiryText({ ...r, keyHint: r.keyHint || 'key' })} ({formatDateTime(r.keyExpiresAt)})
                </Text>
              </List.Item>
            ))}
          </List>
          {more > 0 && (
            <Text size="sm" mt={4}>
              and {more.toLocaleString('en-US')} more.
            </Text>
          )}
        </div>
        <Button variant="default" size="xs" onClick={() => setDismissed(true)} style={{ flexShrink: 0 }}>
          Dismiss
        </Button>
      </Group>
    </Alert>
  );
}
