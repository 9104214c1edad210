import { Button, Group } from '@mantine/core';
import { ErrorAlert } from './ErrorAlert';

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
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel} disabled={saving}>
          Cancel
        </Button>
        <Button type="submit" loading={saving}>
          Save
        </Button>
      </Group>
    </>
  );
}
