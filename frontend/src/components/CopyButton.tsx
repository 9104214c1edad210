import { Button, type ButtonProps } from '@mantine/core';
import { useEffect, useState } from 'react';

interface Props extends Pick<ButtonProps, 'size' | 'variant'> {
  /** The text to copy, or a promise of it (fetched only when clicked); null copies nothing (e.g. cancelled). */
  getText: () => string | null | Promise<string | null>;
  disabled?: boolean;
  /** Called when getText fails; the button then says "Copy" again. */
  onError?: (e: unknown) => void;
}

/** "Copy": writes text to the clipboard and says "Copied" for a moment. */
export function CopyButton({ getText, disabled, onError, size, variant = 'default' }: Props) {
  const [state, setState] = useState<'idle' | 'busy' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (state !== 'copied' && state !== 'failed') return;
    const t = window.setTimeout(() => setState('idle'), 2500);
    return () => window.clearTimeout(t);
  }, [state]);

  const copy = async () => {
    setState('busy');
    let text: string | null;
    try {
      text = await getText();
    } catch (e) {
      setState('idle');
      onError?.(e);
      return;
    }
    if (text === null) {
      setState('idle');
      return;
    }
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };

  return (
    <Button
      size={size}
      variant={state === 'copied' ? 'light' : variant}
      color={state === 'copied' ? 'green' : state === 'failed' ? 'red' : undefined}
      onClick={() => void copy()}
      loading={state === 'busy'}
      disabled={disabled}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
    </Button>
  );
}
