import { Alert } from '@mantine/core';

export const KEY_ONCE_WARNING = 'This key is shown only once. Copy it now: after Save it cannot be shown again.';

/** The warning under a freshly generated key. */
export function KeyOnceWarning({ saved = false }: { saved?: boolean }) {
  return (
    <Alert color="yellow" variant="light" title="Copy the API key now">
      {saved ? 'This key is shown only once. Copy it now: it cannot be shown again.' : KEY_ONCE_WARNING}
    </Alert>
  );
}
