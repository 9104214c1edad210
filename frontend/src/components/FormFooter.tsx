import { Button, Group, type GroupProps } from '@mantine/core';
import { ErrorAlert } from './ErrorAlert';

/** Cancel, then the form's submit button (Save unless named otherwise), in a Group. */
export function FormButtons({
  saving,
  onCancel,
  submitLabel = 'Save',
  ...group
}: GroupProps & {
  saving: boolean;
  onCancel: () => void;
  submitLabel?: string;
}) {
  return (
    <Group {...group}>
      <Button variant="default" onClick={onCancel} disabled={saving}>
        Cancel
      </Button>
      <Button type="submit" loading={saving}>
        {submitLabel}
      </Button>
    </Group>
  );
}

/**
 * The end of every Save/Cancel form: the form-level error (if any), then
 * Cancel and a submit button named Save.
 */
export function FormFooter({
  errorTitle,
  error,
  saving,
  onCancel,
}: {
  errorTitle: string;
  error: string | null | undefined;
  saving: boolean;
  onCancel: () => void;
}) {
  return (
    <>
      <ErrorAlert title={errorTitle} message={error} />
      <FormButtons justify="flex-end" saving={saving} onCancel={onCancel} />
    </>
  );
}
