import { Alert } from '@mantine/core';

/** A form-level error in a red Alert; renders nothing without a message. */
export function ErrorAlert({ title, message }: { title?: string; message: string | null | undefined }) {
  if (!message) return null;
  return (
    <Alert color="red" variant="light" title={title} role="alert">
      {message}
    </Alert>
  );
}
