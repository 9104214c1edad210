import { Button, Group, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { CopyButton } from '../../../components/CopyButton';
import { toAppError, vaultApi, type AccountView, type AppError, type RevealPurpose } from '../../../lib/wails';
import { asksAnything, asksOf, asksOfRefusal, RetrievalModal, type RetrievalAsks } from './RetrievalModal';

const MASK = '••••••••';
/** A shown password is masked again after this long. */
const REVEAL_MS = 30_000;

interface Props {
  resourceId: string;
  account: AccountView;
  /** Without passwords.view the buttons are not offered. */
  mayView: boolean;
  onError: (e: unknown) => void;
}

/** The retrieval modal while it is open, and who waits for its answer. */
interface Asking {
  purpose: RevealPurpose;
  asks: RetrievalAsks;
  refusal: AppError | null;
  /** The password, or null when the operator cancelled. */
  resolve: (password: string | null) => void;
}

/**
 * A masked password with Show / Hide and Copy; each fetch is audited by the
 * backend. An account that asks for a reason or a ticket ID gets them from
 * a modal first; any other goes straight to the backend.
 */
export function PasswordCell({ resourceId, account, mayView, onError }: Props) {
  const [shown, setShown] = useState<string | null>(null);
  /** A fetch is running (while the modal asks, the modal shows its own progress). */
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState<Asking | null>(null);

  useEffect(() => {
    if (shown === null) return;
    const t = window.setTimeout(() => setShown(null), REVEAL_MS);
    return () => window.clearTimeout(t);
  }, [shown]);

  const ask = (purpose: RevealPurpose, asks: RetrievalAsks, refusal: AppError | null) =>
    new Promise<string | null>((resolve) => setAsking({ purpose, asks, refusal, resolve }));

  /** The password, or null when the operator cancelled the modal; rejects with any other refusal. */
  const retrieve = async (purpose: RevealPurpose): Promise<string | null> => {
    const asks = asksOf(account);
    if (asksAnything(asks)) return ask(purpose, asks, null);
    try {
      return await vaultApi.revealPassword(resourceId, account.id, purpose, '', '');
    } catch (e) {
      // The account asks for more than this list knew: ask for it, with the refusal under its field.
      const err = toAppError(e);
      const more = asksOfRefusal(err, asks);
      if (more) return ask(purpose, more, err);
      throw err;
    }
  };

  const close = (password: string | null) => {
    asking?.resolve(password);
    setAsking(null);
  };

  const show = async () => {
    setBusy(true);
    try {
      const password = await retrieve('reveal');
      if (password !== null) setShown(password);
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
            <Button size="compact-sm" variant="default" onClick={() => void show()} loading={busy && asking === null}>
              Show
            </Button>
          ) : (
            <Button size="compact-sm" variant="default" onClick={() => setShown(null)}>
              Hide
            </Button>
          )}
          <CopyButton size="compact-sm" getText={() => retrieve('copy')} onError={onError} />
        </>
      )}
      {asking && (
        <RetrievalModal
          resourceId={resourceId}
          account={account}
          purpose={asking.purpose}
          asks={asking.asks}
          refusal={asking.refusal}
          onClose={() => close(null)}
          onRetrieved={(password) => close(password)}
        />
      )}
    </Group>
  );
}
