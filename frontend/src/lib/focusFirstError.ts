/**
 * Focuses the first of fields (given in the form's order) that has an
 * error, so that a failed Save lands where the operator must look.
 */
export function focusFirstError(
  form: { getInputNode(path: string): HTMLElement | null },
  fields: readonly string[],
  errors: Record<string, unknown>,
): void {
  const first = fields.find((f) => errors[f]);
  if (first) form.getInputNode(first)?.focus();
}
