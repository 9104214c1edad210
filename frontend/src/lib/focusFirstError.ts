/**
 * Focuses the first of fields (given in the form's order) that has an
 * error and scrolls it to the middle of the scrolling dialog or page, so
 * that a failed Save lands where the operator must look (a plain focus
 * may leave the field under a modal's sticky header). A field that cannot
 * take focus (not rendered, hidden in a collapsed section, disabled) is
 * skipped for the next: open such a section before calling.
 */
export function focusFirstError(
  form: { getInputNode(path: string): HTMLElement | null },
  fields: readonly string[],
  errors: Record<string, unknown>,
): void {
  for (const f of fields) {
    if (!errors[f]) continue;
    const node = form.getInputNode(f);
    if (!node) continue;
    node.focus({ preventScroll: true });
    if (document.activeElement !== node) continue;
    // jsdom has no scrollIntoView.
    node.scrollIntoView?.({ block: 'center' });
    return;
  }
}
