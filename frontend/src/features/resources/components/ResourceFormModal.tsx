import { Autocomplete, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { vaultApi, type ResourceRequest, type ResourceView } from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { splitErrors } from '../../users/formErrors';
import { FormFooter } from '../../../components/FormFooter';

const FIELDS: (keyof ResourceRequest)[] = ['name', 'dnsName', 'type', 'description', 'department', 'location', 'url'];

/** Suggestions for Resource Type, as PMP offers them; any other text is fine too. */
const RESOURCE_TYPES = [
  'Linux',
  'Windows',
  'Windows Domain',
  'Mac OS',
  'MS SQL Server',
  'MySQL Server',
  'PostgreSQL',
  'Oracle DB Server',
  'Cisco IOS',
  'Juniper Networks',
  'VMware ESXi',
  'Web Site Accounts',
  'File Store',
];

interface Props {
  /** The resource to edit, or null to add one. */
  resource: ResourceView | null;
  onClose: () => void;
  onSaved: (saved: ResourceView, created: boolean) => void;
}

/** Add Resource / Edit Resource. */
export function ResourceFormModal({ resource, onClose, onSaved }: Props) {
  const { handleError } = useSession();
  const editing = resource !== null;
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  const form = useForm<ResourceRequest>({
    initialValues: {
      name: resource?.name ?? '',
      dnsName: resource?.dnsName ?? '',
      type: resource?.type ?? '',
      description: resource?.description ?? '',
      department: resource?.department ?? '',
      location: resource?.location ?? '',
      url: resource?.url ?? '',
    },
    validate: {
      name: (v) => (v.trim() === '' ? 'Resource Name: required' : null),
    },
  });

  const submit = async (v: ResourceRequest) => {
    setFormError(null);
    setSaving(true);
    const req: ResourceRequest = {
      name: v.name.trim(),
      dnsName: v.dnsName.trim(),
      type: v.type.trim(),
      description: v.description.trim(),
      department: v.department.trim(),
      location: v.location.trim(),
      url: v.url.trim(),
    };
    try {
      const saved = editing ? await vaultApi.updateResource(resource.id, req) : await vaultApi.createResource(req);
      onSaved(saved, !editing);
    } catch (e) {
      const { fieldErrors, formError: rest } = splitErrors(handleError(e), FIELDS);
      form.setErrors(fieldErrors);
      setFormError(rest);
      setSaving(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={editing ? 'Edit Resource' : 'Add Resource'} size="lg" closeOnClickOutside={false}>
      <form onSubmit={form.onSubmit(submit)} noValidate>
        <Stack gap="md">
          <TextInput label="Resource Name" required autoComplete="off" data-autofocus {...form.getInputProps('name')} />
          <TextInput
            label="DNS Name / IP Address"
            autoComplete="off"
            placeholder="db01.example.com or 10.0.0.5"
            {...form.getInputProps('dnsName')}
          />
          <Autocomplete label="Resource Type" data={RESOURCE_TYPES} autoComplete="off" {...form.getInputProps('type')} />
          <Textarea label="Description" autosize minRows={2} maxRows={5} {...form.getInputProps('description')} />
          <Group grow align="flex-start">
            <TextInput label="Department" {...form.getInputProps('department')} />
            <TextInput label="Location" {...form.getInputProps('location')} />
          </Group>
          <TextInput label="Resource URL" placeholder="https://" autoComplete="off" {...form.getInputProps('url')} />
          <FormFooter errorTitle="Could not save the resource" error={formError} saving={saving} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
