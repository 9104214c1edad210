import { Button, Group, NumberInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useLoad } from '../../../hooks/useLoad';
import { focusFirstError } from '../../../lib/focusFirstError';
import { vaultApi, type KeyValidity, type Operator } from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { splitErrors } from '../../users/formErrors';
import { SettingsCard } from './SettingsCard';

interface Values {
  /** Named as the backend names it in field errors; '' while the field is empty. */
  keyValidityDays: number | string;
}

const FIELDS = ['keyValidityDays'] as const;

function KeyValidityForm({ validity, editable }: { validity: KeyValidity; editable: boolean }) {
  const { handleError } = useSession();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const rule = `a whole number of days from ${validity.min} to ${validity.max}`;
  const form = useForm<Values>({
    initialValues: { keyValidityDays: validity.days },
    // The range is the backend's to check (it names the field and the
    // rule); an empty field cannot be sent at all.
    validate: { keyValidityDays: (v) => (v === '' ? `Default key validity: ${rule}` : null) },
  });
  const focusFirst = (errors: Record<string, unknown>) => focusFirstError(form, FIELDS, errors);

  const submit = async (v: Values) => {
    setFormError(null);
    setSaved(null);
    setSaving(true);
    try {
      const next = await vaultApi.saveKeyValidity(Number(v.keyValidityDays));
      form.setValues({ keyValidityDays: next.days });
      form.resetDirty();
      setSaved(next.days);
    } catch (e) {
      const { fieldErrors, formError: rest } = splitErrors(handleError(e), FIELDS);
      form.setErrors(fieldErrors);
      setFormError(rest);
      focusFirst(fieldErrors);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={form.onSubmit(submit, focusFirst)} noValidate>
      <Stack gap="md">
        <NumberInput
          label="Default key validity"
          description={`Add API User fills in a new key's Expiry Date this many days ahead (${rule}). Never Expires is chosen per key.`}
          // A short box for a number of days; the description and the error keep the card's width.
          styles={{ wrapper: { maxWidth: 220 } }}
          allowDecimal={false}
          allowNegative={false}
          // Out-of-range values go to the backend, whose error says the rule, instead of being changed silently.
          clampBehavior="none"
          min={validity.min}
          max={validity.max}
          hideControls
          rightSection={
            <Text size="sm" c="dimmed" aria-hidden="true">
              days
            </Text>
          }
          rightSectionWidth={48}
          rightSectionPointerEvents="none"
          disabled={!editable}
          autoComplete="off"
          {...form.getInputProps('keyValidityDays')}
          onChange={(v) => {
            setSaved(null);
            form.getInputProps('keyValidityDays').onChange(v);
          }}
        />
        <ErrorAlert title="Could not save the default key validity" message={formError} />
        {saved !== null && (
          <Text size="sm" c="green" role="status">
            {`Default key validity saved: ${saved} days.`}
          </Text>
        )}
        <Group justify="space-between" align="center">
          <Text size="sm" c="dimmed">
            {editable
              ? 'Keys already handed out keep their expiry.'
              : 'Only operators who may manage security settings can change it.'}
          </Text>
          <Button type="submit" loading={saving} disabled={!editable}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** API keys: the Default key validity a new API user's key gets (1–3650 days). */
export function KeyValidityCard({ operator }: { operator: Operator }) {
  const { data, error } = useLoad(vaultApi.getKeyValidity, []);
  const editable = operator.permissions.includes('settings.manage');

  return (
    <SettingsCard
      id="key-validity-title"
      title="API keys"
      description="How long a new API user's key stays valid unless the operator chooses another date."
      loadingText="Loading the default key validity…"
      errorTitle="Could not load the default key validity"
      loading={data === undefined}
      error={error}
    >
      {data && <KeyValidityForm validity={data} editable={editable} />}
    </SettingsCard>
  );
}
