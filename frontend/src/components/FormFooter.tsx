import { Anchor, Button, Group, Text, type GroupProps } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { ErrorAlert } from './ErrorAlert';

interface Problem {
  label: string;
  node: HTMLElement;
}

/** The visible label of a field, without the required asterisk. */
function labelOf(node: HTMLElement): string {
  const label = (node as HTMLInputElement).labels?.[0];
  if (label) {
    const copy = label.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('[aria-hidden="true"]').forEach((n) => n.remove());
    const text = copy.textContent?.trim();
    if (text) return text;
  }
  const by = node.getAttribute('aria-labelledby');
  const text = by ? document.getElementById(by.split(' ')[0])?.textContent?.trim() : node.getAttribute('aria-label');
  return text || 'A field';
}

/** Focuses a field and scrolls it to the middle of its dialog. */
export function focusField(node: HTMLElement): void {
  node.focus();
  node.scrollIntoView?.({ block: 'center' });
}

const same = (a: Problem[], b: Problem[]) => a.length === b.length && a.every((p, i) => p.node === b[i].node && p.label === b[i].label);

/**
 * "2 fields need attention: Host Name, Expiry Date" beside Save, each name
 * a button that focuses its field. It watches the enclosing form for
 * invalid fields (Mantine marks them aria-invalid), so every form with
 * FormButtons gets it without wiring; it is announced (aria-live assertive,
 * not role=alert: the form-level ErrorAlert keeps that role).
 */
function FieldErrorSummary() {
  const ref = useRef<HTMLDivElement>(null);
  const [problems, setProblems] = useState<Problem[]>([]);

  useEffect(() => {
    const form = ref.current?.closest('form');
    if (!form) return;
    const scan = () => {
      const next = Array.from(form.querySelectorAll<HTMLElement>('[aria-invalid="true"]')).map((node) => ({
        node,
        label: labelOf(node),
      }));
      setProblems((prev) => (same(prev, next) ? prev : next));
    };
    scan();
    const observer = new MutationObserver(scan);
    observer.observe(form, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-invalid'] });
    return () => observer.disconnect();
  }, []);

  const n = problems.length;
  return (
    // An empty region takes no room (display: contents) but stays in place, so that what appears in it is announced.
    <div ref={ref} aria-live="assertive" aria-atomic="true" style={n === 0 ? { display: 'contents' } : { flex: '1 1 16rem' }}>
      {n > 0 && (
        <Text size="sm" c="red.8" fw={500} data-testid="field-error-summary">
          {n === 1 ? '1 field needs attention: ' : `${n} fields need attention: `}
          {problems.map((p, i) => (
            <span key={i}>
              {i > 0 && ', '}
              <Anchor component="button" type="button" size="sm" c="inherit" td="underline" onClick={() => focusField(p.node)}>
                {p.label}
              </Anchor>
            </span>
          ))}
        </Text>
      )}
    </div>
  );
}

/** The invalid-field summary, Cancel, then the form's submit button (Save unless named otherwise), in a Group. */
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
      <FieldErrorSummary />
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
 * the summary of invalid fields, Cancel and a submit button named Save.
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
