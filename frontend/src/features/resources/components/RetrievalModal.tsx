import { Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FormButtons } from '../../../components/FormFooter';
import { AppError, vaultApi, type AccountView, type RevealPurpose } from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { splitErrors } from '../../users/formErrors';
import { focusFirstError } from '../../../lib/focusFirstError';

/** What a retrieval of an account's password must or may give. */
export interface RetrievalAsks {
  reason: boolean;
  ticket: boolean;
  ticketMandatory: boolean;
}

/** The fields the backend names when it refuses a retrieval for want of them. */
const FIELDS = ['reason', 'ticketId'] as const;

interface Values {
  reason: string;
  ticketId: string;
}

/** What the account asks for on retrieval; ticketMandatory implies ticket. */
export function asksOf(a: AccountView): RetrievalAsks {
  return { reason: a.reasonRequired, ticket: a.ticketRequired || a.ticketMandatory, ticketMandatory: a.ticketMandatory };
}

/** Whether a retrieval must go through the modal first. */
export function asksAnything(asks: RetrievalAsks): boolean {
  return asks.reason || asks.ticket;
}

/**
 * A refusal that names reason or ticketId (the account asks for more than
 * the list knew, e.g. changed through the REST API meanwhile): what the
 * modal must ask for on top. Null for any other error.
 */
export function asksOfRefusal(err: AppError, asks: RetrievalAsks): RetrievalAsks | null {
  const named = err.fieldMessages();
  if (!('reason' in named) && !('ticketId' in named)) return null;
  const mandatory = asks.ticketMandatory || 'ticketId' in named;
  return { reason: asks.reason || 'reason' in named, ticket: asks.ticket || mandatory, ticketMandatory: mandatory };
}

interface Props {
  resourceId: string;
  account: AccountView;
  purpose: RevealPurpose;
  asks: RetrievalAsks;
  /** The refusal that opened the modal, shown under its field. */
  refusal?: AppError | null;
  onClose: () => void;
  /** The password, fetched with the reason and ticket ID given. */
  onRetrieved: (password: string) => void;
}

/** Asks for the reason and ticket ID an account wants before its password is shown or copied. */
export function RetrievalModal({ resourceId, account, purpose, asks: initialAsks, refusal = null, onClose, onRetrieved }: Props) {
  const { handleError } = useSession();
  const [asks, setAsks] = useState(initialAsks);
  const [busy, setBusy] = useState(false);
  const initial = refusal ? splitErrors(refusal, FIELDS) : { fieldErrors: {}, formError: null };
  const [formError, setFormError] = useState<string | null>(initial.formError);

  const form = useForm<Values>({
    initialValues: { reason: '', ticketId: '' },
    initialErrors: initial.fieldErrors,
    validate: {
      reason: (v) => (asks.reason && v.trim() === '' ? 'Reason: required' : null),
      ticketId: (v) => (asks.ticketMandatory && v.trim() === '' ? 'Ticket ID: required' : null),
    },
  });

  const focusFirst = (errors: Record<string, unknown>) => focusFirstError(form, FIELDS, errors);

  const submit = async (v: Values) => {
    setFormError(null);
    setBusy(true);
    try {
      const password = await vaultApi.revealPassword(resourceId, account.id, purpose, v.reason.trim(), v.ticketId.trim());
      onRetrieved(password);
    } catch (e) {
      const err = handleError(e);
      const more = asksOfRefusal(err, asks);
      if (more) setAsks(more);
      const { fieldErrors, formError: rest } = splitErrors(err, FIELDS);
      form.setErrors(fieldErrors);
      setFormError(rest);
      setBusy(false);
      focusFirst(fieldErrors);
    }
  };

  const copy = purpose === 'copy';
  return (
    <Modal opened onClose={onClose} title={`Retrieve the password of ${account.name}`} size="md" closeOnClickOutside={!busy}>
      <form onSubmit={form.onSubmit(submit, focusFirst)} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            This account asks why its password is retrieved; the audit trail records the answer.
          </Text>
          {asks.reason && (
            <Textarea
              label="Reason"
              required
              autosize
              minRows={2}
              maxRows={5}
              data-autofocus
              {...form.getInputProps('reason')}
            />
          )}
          {asks.ticket && (
            <TextInput
              label="Ticket ID"
              required={asks.ticketMandatory}
              description={asks.ticketMandatory ? undefined : 'Optional'}
              autoComplete="off"
              spellCheck={false}
              data-autofocus={!asks.reason || undefined}
              {...form.getInputProps('ticketId')}
            />
          )}
          <ErrorAlert title="Could not retrieve the password" message={formError} />
          <FormButtons justify="flex-end" saving={busy} onCancel={onClose} submitLabel={copy ? 'Copy Password' : 'Show Password'} />
        </Stack>
      </form>
    </Modal>
  );
}
