import { Alert, Anchor, Code, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { keyringWords } from '../keyringWords';

/** The keyring is not available: what is missing and how to fix it, with the technical detail behind Details. */
export function KeyringProblem({ os, problem }: { os: string; problem: string }) {
  const [details, { toggle }] = useDisclosure(false);
  const words = keyringWords(os, problem);
  return (
    <Alert color="yellow" variant="light" title="Hostbound can't keep its key in the system keyring">
      <Stack gap={6}>
        <Text size="sm">
          Hostbound keeps its master key in {words.store}, so that it opens without a password. {words.why}
        </Text>
        <Text size="sm">
          <strong>To use the keyring:</strong> {words.fix}
        </Text>
        <Text size="sm">
          <strong>Or continue here:</strong> the master key will be protected with a passphrase instead. You must enter
          this passphrase every time Hostbound starts; without it the data cannot be opened.
        </Text>
        {problem && (
          <>
            <Anchor component="button" type="button" size="sm" onClick={toggle} aria-expanded={details} ta="left" c="var(--mantine-color-text)" underline="always">
              {details ? 'Hide details' : 'Details'}
            </Anchor>
            {details && <Code block>{problem}</Code>}
          </>
        )}
      </Stack>
    </Alert>
  );
}
