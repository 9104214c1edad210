import { Button, Checkbox, Popover, Stack, Text } from '@mantine/core';
import { COLUMNS, type ColumnId } from './UserTable';

/** A checkbox per column of the Users list; Username always shows. */
export function ColumnChooser({
  hidden,
  onToggle,
  onReset,
}: {
  hidden: readonly ColumnId[];
  onToggle: (id: ColumnId, shown: boolean) => void;
  onReset: () => void;
}) {
  return (
    <Popover position="bottom-end" shadow="md" withinPortal trapFocus>
      <Popover.Target>
        <Button variant="default" rightSection={<span aria-hidden>▾</span>}>
          Columns
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs" role="group" aria-label="Columns shown">
          <Text size="sm" fw={600}>
            Columns shown
          </Text>
          {COLUMNS.map((c) => (
            <Checkbox
              key={c.id}
              label={c.label}
              checked={c.id === 'username' || !hidden.includes(c.id)}
              disabled={c.id === 'username'}
              onChange={(e) => onToggle(c.id, e.currentTarget.checked)}
            />
          ))}
          <Button variant="subtle" size="xs" onClick={onReset}>
            Default columns
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
