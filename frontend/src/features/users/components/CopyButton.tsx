import { Button } from '@mantine/core';
import { useEffect, useState } from 'react';

/** "Copy" that writes text to the clipboard and says "Copied" for a moment. */
export function CopyKeyButton({ text, disabled }: { text: string; disabled?: boolean }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const t = window.setTimeout(() => setState('idle'), 2500);
    return () => window.clearTimeout(t);
  }, [state]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };

  return (
    <Button
      variant={state === 'copied' ? 'light' : 'default'}
      color={state === 'copied' ? 'green' : state === 'failed' ? 'red' : undefined}
      onClick={copy}
      disabled={disabled || text === ''}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
    </Button>
  );
}
