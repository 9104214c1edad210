import { Button, Group, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { CopyButton } from '../../../components/CopyButton';
import { vaultApi } from '../../../lib/wails';

const MASK = '••••••••';
/** A shown password is masked again after this long. */
const REVEAL_MS = 30_000;

interface Props {
  resourceId: string;
  accountId: string;
  /** Without passwords.view the buttons are not offered. */
  mayView: boolean;
  onError: (e: unknown) => void;
}

/** A masked password with Show / Hide and Copy; each fetch is audited by the backend. */
export function PasswordCell({ resourceId, accountId, mayView, onError }: Props) {
  const [shown, setShown] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (shown === null) return;
    const t = window.setTimeout(() => setShown(null), REVEAL_MS);
    return () => window.clearTimeout(t);
  }, [shown]);

  const show = async () => {
    setBusy(true);
    try {
      setShown(await vaultApi.revealPassword(resourceId, accountId, 'reveal'));
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Group gap="xs" wrap="nowrap">
      <Text
        component="span"
        ff="monospace"
        size="sm"
        miw={96}
        style={{ wordBreak: 'break-all', userSelect: shown === null ? 'none' : undefined }}
      >
        {shown ?? MASK}
      </Text>
      {mayView && (
        <>
          {shown === null ? (
            <Button size="compact-sm" variant="default" onClick={() => void show()} loading={busy}>
              Show
            </Button>
          ) : (
            <Button size="compact-sm" variant="default" onClick={() => setShown(null)}>
              Hide
            </Button>
          )}
          <CopyButton
            size="compact-sm"
            getText={() => vaultApi.revealPassword(resourceId, accountId, 'copy')}
            onError={onError}
          />
        </>
      )}
    </Group>
  );
}
