import { Button, Group, Modal, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { BulkRow, BulkRowView } from '../../../lib/wails';
import { BULK_COLUMNS, type BulkDefaultsText } from './BulkPreviewTable';

interface Props {
  row: BulkRow;
  check: BulkRowView;
  defaults: BulkDefaultsText;
  onApply: (row: BulkRow) => void;
  onRemove: () => void;
  onClose: () => void;
}

/** Edits one bad row of the preview: every cell, with the row's messages under their fields. */
export function BulkFixRowModal({ row, check, defaults, onApply, onRemove, onClose }: Props) {
  const [draft, setDraft] = useState<BulkRow>({ ...row });
  const errorOf = (field: string) =>
    check.errors
      .filter((e) => e.field === field)
      .map((e) => e.message)
      .join(' ') || undefined;
  // The first field with a message takes the focus.
  const firstBad = BULK_COLUMNS.find((c) => errorOf(c.field))?.cell;
  const set = (cell: keyof BulkRow, value: string) => setDraft((d) => ({ ...d, [cell]: value }));

  return (
    <Modal opened onClose={onClose} title={`Fix line ${check.line}`} size="lg" closeOnClickOutside={false}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onApply(draft);
        }}
        noValidate
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            An empty cell takes the value set for all rows.
          </Text>
          <SimpleGrid cols={2} spacing="sm">
            {BULK_COLUMNS.filter((c) => c.cell !== 'sshPublicKey').map((c) => (
              <TextInput
                key={c.cell}
                label={c.label}
                value={String(draft[c.cell] ?? '')}
                placeholder={c.cell === 'username' ? check.username : defaults[c.cell]}
                onChange={(e) => set(c.cell, e.currentTarget.value)}
                error={errorOf(c.field)}
                autoComplete="off"
                data-autofocus={c.cell === firstBad || undefined}
              />
            ))}
          </SimpleGrid>
          <Textarea
            label="SSH Public Key"
            value={draft.sshPublicKey}
            onChange={(e) => set('sshPublicKey', e.currentTarget.value)}
            error={errorOf('sshPublicKey')}
            autosize
            minRows={2}
            maxRows={4}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
          <Group justify="space-between">
            <Button variant="subtle" color="red" onClick={onRemove}>
              Remove Row
            </Button>
            <Group>
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit">Apply</Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
