import { Anchor, Button, Center, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useLoad } from '../../../hooks/useLoad';
import { vaultApi, type Operator, type ResourceView } from '../../../lib/wails';
import { canCreateResources } from '../permissions';
import { Notice, useNotice } from './Notice';
import { ResourceDetailView } from './ResourceDetailView';
import { ResourceFormModal } from './ResourceFormModal';
import classes from './Resources.module.css';

/** Sorted by name, as the list shows them. */
function byName(rs: ResourceView[]): ResourceView[] {
  return [...rs].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
}

/** A cell that ellipsizes a long value and shows it whole as its tooltip. */
function Clip({ value }: { value: string }) {
  return (
    <Table.Td className={classes.clip} title={value || undefined}>
      {value}
    </Table.Td>
  );
}

/** The fields the Search box looks in. */
function matches(r: ResourceView, needle: string): boolean {
  return [r.name, r.dnsName, r.type, r.owner, r.department, r.location, r.description].some((f) =>
    f.toLowerCase().includes(needle),
  );
}

function countResources(n: number): string {
  return n === 1 ? '1 resource' : `${n} resources`;
}

/** Resources: the list, and one resource's detail when opened. */
export function ResourcesScreen({ operator }: { operator: Operator }) {
  const list = useLoad(() => vaultApi.listResources().then(byName), []);
  const { reload } = list;
  const [search, setSearch] = useState('');
  const [openId, setOpenId] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useNotice();

  const needle = search.trim().toLowerCase();
  const shown = useMemo(
    () => (list.data ?? []).filter((r) => needle === '' || matches(r, needle)),
    [list.data, needle],
  );

  if (openId !== null) {
    return (
      <ResourceDetailView
        id={openId}
        operator={operator}
        onBack={() => {
          setOpenId(null);
          reload();
        }}
        onDeleted={(name) => {
          setOpenId(null);
          reload();
          setNotice({ color: 'green', title: 'Resource deleted', message: `${name} was deleted.` });
        }}
      />
    );
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Group gap="sm" align="baseline">
          <Title order={1} size="h2">
            Resources
          </Title>
          <Text c="dimmed" size="sm" aria-live="polite">
            {list.data === undefined ? 'Loading…' : countResources(list.data.length)}
          </Text>
        </Group>
        {canCreateResources(operator) && <Button onClick={() => setAdding(true)}>Add Resource</Button>}
      </Group>

      <TextInput
        label="Search"
        placeholder="Resource name, DNS name, type, owner, department, location"
        type="search"
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        maw={560}
      />

      <Notice notice={notice} onClose={() => setNotice(null)} />
      <ErrorAlert title="Could not load resources" message={list.error?.message} />

      {list.data === undefined ? (
        !list.error && (
          <Center py="xl">
            <Loader aria-label="Loading resources" />
          </Center>
        )
      ) : (
        <Table.ScrollContainer minWidth={860}>
          <Table striped highlightOnHover withTableBorder verticalSpacing="sm" aria-label="Resources" className={classes.table}>
            <colgroup>
              {['22%', '22%', '10%', '12%', '9%', '13%', '12%'].map((w, i) => (
                <col key={i} style={{ width: w }} />
              ))}
            </colgroup>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Resource Name</Table.Th>
                <Table.Th>DNS Name / IP Address</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Owner</Table.Th>
                <Table.Th ta="right">Accounts</Table.Th>
                <Table.Th>Department</Table.Th>
                <Table.Th>Location</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text c="dimmed" size="sm" ta="center" py="md">
                      {list.data.length === 0 ? 'No resources yet.' : 'No resource matches the search.'}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : (
                shown.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td className={classes.clip} title={r.name}>
                      <Anchor
                        component="button"
                        type="button"
                        fw={600}
                        onClick={() => setOpenId(r.id)}
                        ta="left"
                        maw="100%"
                        className={classes.clip}
                      >
                        {r.name}
                      </Anchor>
                    </Table.Td>
                    <Clip value={r.dnsName} />
                    <Clip value={r.type} />
                    <Clip value={r.owner} />
                    <Table.Td ta="right">{r.accounts}</Table.Td>
                    <Clip value={r.department} />
                    <Clip value={r.location} />
                  </Table.Tr>
                ))
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      {adding && (
        <ResourceFormModal
          resource={null}
          onClose={() => setAdding(false)}
          onSaved={(saved) => {
            setAdding(false);
            reload();
            setNotice({ color: 'green', title: 'Resource added', message: `${saved.name} was added.` });
          }}
        />
      )}
    </Stack>
  );
}
