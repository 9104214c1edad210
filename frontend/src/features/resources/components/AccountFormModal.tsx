import { Button, Checkbox, Group, Modal, PasswordInput, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useLoad } from '../../../hooks/useLoad';
import { vaultApi, type AccountRequest, type AccountView, type ResourceView } from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { splitErrors } from '../../users/formErrors';
import { FormFooter } from '../../../components/FormFooter';

const FIELDS: (keyof AccountRequest)[] = ['accountName', 'password', 'notes', 'reasonRequired', 'ticketRequired', 'ticketMandatory'];

interface Props {
  resource: ResourceView;
  /** The account to edit, or null to add one. */
  account: AccountView | null;
  onClose: () => void;
  onSaved: (saved: AccountView, created: boolean) => void;
}

/** The policy Generate uses unless the operator picks another (the backend's default too). */
const DEFAULT_POLICY = 'Strong';

/**
 * Add Account / Edit Account of a resource. Generate fills Password with a
 * fresh password of the chosen Password Policy and shows it, so the
 * operator can read it before saving; it goes nowhere else.
 */
export function AccountFormModal({ resource, account, onClose, onSaved }: Props) {
  const { handleError } = useSession();
  const editing = account !== null;
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const policies = useLoad(vaultApi.passwordPolicies, []);
  const [policy, setPolicy] = useState(DEFAULT_POLICY);
  const [policyError, setPolicyError] = useState<string | null>(null);
  const [generating, setGenerating] = useState(false);
  const [passwordVisible, setPasswordVisible] = useState(false);
  const policyOptions = (policies.data ?? [{ name: DEFAULT_POLICY, length: 0, description: '' }]).map((p) => ({
    value: p.name,
    label: p.name,
  }));
  const policyDescription = policies.data?.find((p) => p.name === policy)?.description;

  const form = useForm<AccountRequest>({
    initialValues: {
      accountName: account?.name ?? '',
      password: '',
      notes: account?.notes ?? '',
      reasonRequired: account?.reasonRequired ?? false,
      ticketRequired: account?.ticketRequired ?? false,
      ticketMandatory: account?.ticketMandatory ?? false,
    },
    validate: {
      accountName: (v) => (v.trim() === '' ? 'Account Name: required' : null),
      password: (v) => (!editing && v === '' ? 'Password: required' : null),
    },
  });

  const generate = async () => {
    setPolicyError(null);
    setGenerating(true);
    try {
      const password = await vaultApi.generatePassword(policy);
      form.setFieldValue('password', password);
      form.clearFieldError('password');
      setPasswordVisible(true);
    } catch (e) {
      const err = handleError(e);
      setPolicyError(err.fieldMessages().policy ?? err.message);
    } finally {
      setGenerating(false);
    }
  };

  const submit = async (v: AccountRequest) => {
    setFormError(null);
    setSaving(true);
    const req: AccountRequest = {
      accountName: v.accountName.trim(),
      password: v.password,
      notes: v.notes.trim(),
      reasonRequired: v.reasonRequired,
      // A mandatory ticket id is one that is asked for.
      ticketRequired: v.ticketRequired || v.ticketMandatory,
      ticketMandatory: v.ticketMandatory,
    };
    try {
      const saved = editing
        ? await vaultApi.updateAccount(resource.id, account.id, req)
        : await vaultApi.createAccount(resource.id, req);
      onSaved(saved, !editing);
    } catch (e) {
      const { fieldErrors, formError: rest } = splitErrors(handleError(e), FIELDS);
      form.setErrors(fieldErrors);
      setFormError(rest);
      setSaving(false);
    }
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={editing ? `Edit Account of ${resource.name}` : `Add Account to ${resource.name}`}
      size="md"
      closeOnClickOutside={false}
    >
      <form onSubmit={form.onSubmit(submit)} noValidate>
        <Stack gap="md">
          <TextInput
            label="Account Name"
            required
            autoComplete="off"
            data-autofocus
            {...form.getInputProps('accountName')}
          />
          <PasswordInput
            label="Password"
            required={!editing}
            description={editing ? 'Leave empty to keep the current password.' : undefined}
            autoComplete="new-password"
            visible={passwordVisible}
            onVisibilityChange={setPasswordVisible}
            {...form.getInputProps('password')}
          />
          <Group align="flex-start" wrap="nowrap">
            <Select
              label="Password Policy"
              data={policyOptions}
              value={policy}
              onChange={(v) => {
                setPolicy(v ?? DEFAULT_POLICY);
                setPolicyError(null);
              }}
              allowDeselect={false}
              description={policyDescription}
              error={policyError}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              style={{ flex: 1 }}
            />
            <Button variant="default" mt={22} onClick={() => void generate()} loading={generating}>
              Generate
            </Button>
          </Group>
          <Textarea label="Notes" autosize minRows={2} maxRows={6} {...form.getInputProps('notes')} />
          <Stack gap="xs">
            <Checkbox
              label="Require a reason to retrieve the password"
              {...form.getInputProps('reasonRequired', { type: 'checkbox' })}
            />
            <Checkbox
              label="Ask for a ticket ID"
              {...form.getInputProps('ticketRequired', { type: 'checkbox' })}
              checked={form.values.ticketRequired || form.values.ticketMandatory}
              disabled={form.values.ticketMandatory}
            />
            <Checkbox
              label="Ticket ID is mandatory"
              {...form.getInputProps('ticketMandatory', { type: 'checkbox' })}
              onChange={(e) => {
                const mandatory = e.currentTarget.checked;
                form.setFieldValue('ticketMandatory', mandatory);
                // Mandatory implies asked; unchecking it leaves the ticket ID asked for.
                if (mandatory) form.setFieldValue('ticketRequired', true);
              }}
            />
          </Stack>
          <FormFooter errorTitle="Could not save the account" error={formError} saving={saving} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
