import { Paper, SimpleGrid, Text, UnstyledButton } from '@mantine/core';
import type { DashboardView } from '../../../lib/wails';
import { type NavTarget, useNavigate } from '../../session/navigation';

type Keys = NonNullable<DashboardView['keys']>;

interface Figure {
  label: string;
  value: number;
  target: NavTarget;
  /** Color of the number when it is not 0 (something to act on). */
  alert?: string;
}

function figures(k: Keys): Figure[] {
  const users = (filter: NavTarget['users']): NavTarget => ({ page: 'users', users: { kind: 'api', ...filter } });
  return [
    { label: 'API users', value: k.apiUsers, target: users({}) },
    { label: 'Active keys', value: k.active, target: users({ keyStatus: 'active' }) },
    { label: 'Expiring within 30 days', value: k.expiringWithin30, target: users({ expiringWithinDays: 30 }), alert: 'yellow' },
    { label: 'Expiring within 7 days', value: k.expiringWithin7, target: users({ expiringWithinDays: 7 }), alert: 'orange' },
    { label: 'Expiring within 1 day', value: k.expiringWithin1, target: users({ expiringWithinDays: 1 }), alert: 'red' },
    { label: 'Expired keys', value: k.expired, target: users({ keyStatus: 'expired' }), alert: 'red' },
    { label: 'Idle keys (90 days)', value: k.idle, target: users({ idle: true }), alert: 'yellow' },
    { label: 'Without a key', value: k.noKey, target: users({ keyStatus: 'none' }) },
    { label: 'Disabled', value: k.disabled, target: users({ keyStatus: 'disabled' }) },
    { label: 'Revoked', value: k.revoked, target: users({ keyStatus: 'revoked' }), alert: 'red' },
  ];
}

/** The API users by key status; each figure opens the Users list filtered to it. */
export function KeyFigures({ keys }: { keys: Keys }) {
  const navigate = useNavigate();
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {figures(keys).map((f) => (
        <li key={f.label}>
          <UnstyledButton w="100%" onClick={() => navigate(f.target)}>
            <Paper withBorder radius="md" p="sm">
              <Text fz={28} fw={700} lh={1.2} c={f.alert && f.value > 0 ? `${f.alert}.9` : undefined} ff="monospace">
                {f.value.toLocaleString()}
              </Text>
              <Text size="sm" c="dimmed">
                {f.label}
              </Text>
            </Paper>
          </UnstyledButton>
        </li>
      ))}
    </SimpleGrid>
  );
}
