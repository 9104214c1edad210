import { Autocomplete, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useLoad } from '../../../hooks/useLoad';
import { vaultApi, type ResourceRequest, type ResourceView } from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { splitErrors } from '../../users/formErrors';
import { FormFooter } from '../../../components/FormFooter';
import { canGiveResources } from '../permissions';
import { focusFirstError } from '../../../lib/focusFirstError';

const FIELDS: (keyof ResourceRequest)[] = ['name', 'dnsName', 'type', 'description', 'department', 'location', 'url', 'owner'];

interface Props {
  /** The resource to edit, or null to add one. */
  resource: ResourceView | null;
  onClose: () => void;
  onSaved: (saved: ResourceView, created: boolean) => void;
}

/**
 * Add Resource / Edit Resource. Resource Type suggests the backend's types
 * (any other text is fine too, also when they fail to load). Owner is shown
 * to a Super Administrator only, the one who may give a resource away;
 * blank keeps the owner (the operator, on add).
 */
export function ResourceFormModal({ resource, onClose, onSaved }: Props) {
  const { state, handleError } = useSession();
  const editing = resource !== null;
  const showOwner = state?.operator ? canGiveResources(state.operator) : false;
  const visibleFields = showOwner ? FIELDS : FIELDS.filter((f) => f !== 'owner');
  const types = useLoad(vaultApi.resourceTypes, []);
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
      owner: '',
    },
    validate: {
      name: (v) => (v.trim() === '' ? 'Resource Name: required' : null),
    },
  });

  const focusFirst = (errors: Record<string, unknown>) => focusFirstError(form, visibleFields, errors);

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
      owner: showOwner ? v.owner.trim() : '',
    };
    try {
      const saved = editing ? await vaultApi.updateResource(resource.id, req) : await vaultApi.createResource(req);
      onSaved(saved, !editing);
    } catch (e) {
      const { fieldErrors, formError: rest } = splitErrors(handleError(e), visibleFields);
      form.setErrors(fieldErrors);
      setFormError(rest);
      setSaving(false);
      focusFirst(fieldErrors);
    }
  };

  return (
    <Modal opened onClose={onClose} title={editing ? 'Edit Resource' : 'Add Resource'} size="lg" closeOnClickOutside={false}>
      <form onSubmit={form.onSubmit(submit, focusFirst)} noValidate>
        <Stack gap="md">
          <TextInput label="Resource Name" required autoComplete="off" data-autofocus {...form.getInputProps('name')} />
          <TextInput
            label="DNS Name / IP Address"
            autoComplete="off"
            placeholder="db01.example.com or 10.0.0.5"
            {...form.getInputProps('dnsName')}
          />
          <Autocomplete label="Resource Type" data={types.data ?? []} autoComplete="off" {...form.getInputProps('type')} />
          <Textarea label="Description" autosize minRows={2} maxRows={5} {...form.getInputProps('description')} />
          <Group grow align="flex-start">
            <TextInput label="Department" {...form.getInputProps('department')} />
            <TextInput label="Location" {...form.getInputProps('location')} />
          </Group>
          <TextInput label="Resource URL" placeholder="https://" autoComplete="off" {...form.getInputProps('url')} />
          {showOwner && (
            <TextInput
              label="Owner"
              autoComplete="off"
              placeholder={editing ? resource.owner : state?.operator?.username}
              description={
                editing
                  ? 'Username of the user to give the resource to. Leave empty to keep the current owner.'
                  : 'Username of the user to give the resource to. Leave empty to own it yourself.'
              }
              {...form.getInputProps('owner')}
            />
          )}
          <FormFooter errorTitle="Could not save the resource" error={formError} saving={saving} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
