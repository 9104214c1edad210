import { Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { Operator } from '../../../lib/wails';

/** Access scope as PMP words it. */
export function scopeLabel(scope: string): string {
  switch (scope) {
    case 'all':
      return 'All Passwords';
    case 'owned_shared':
      return 'Passwords Owned and Shared';
    default:
      return scope;
  }
}

/** The dashboard: who is logged in and with what access. */
export function HomeScreen({ operator }: { operator: Operator }) {
  return (
    <Stack gap="lg" maw={760}>
      <Title order={1} size="h2">
        Home
      </Title>
      <Card withBorder shadow="sm" padding="lg" radius="lg">
        <Stack gap="md">
          <Stack gap={4}>
            <Group gap="sm">
              <Title order={2} size="h3">
                Welcome, {operator.fullName}
              </Title>
              {operator.superAdmin && (
                <Badge color="grape" variant="light">
                  Super Administrator
                </Badge>
              )}
            </Group>
            <Text c="dimmed" size="sm">
              You are logged in to Hostbound.
            </Text>
          </Stack>
          <Table variant="vertical" layout="fixed" withTableBorder>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th scope="row" w={160}>Username</Table.Th>
                <Table.Td>{operator.username}</Table.Td>
              </Table.Tr>
              {operator.email && (
                <Table.Tr>
                  <Table.Th scope="row">Email</Table.Th>
                  <Table.Td>{operator.email}</Table.Td>
                </Table.Tr>
              )}
              <Table.Tr>
                <Table.Th scope="row">Role</Table.Th>
                <Table.Td>{operator.roleName}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">Access Scope</Table.Th>
                <Table.Td>{scopeLabel(operator.scope)}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Stack>
      </Card>
    </Stack>
  );
}
