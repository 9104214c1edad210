import type { AppError } from '../../lib/wails';

/**
 * Splits a backend error into messages under the form's fields and one
 * form-level message (for errors about no visible field, or none).
 */
export function splitErrors(
  err: AppError,
  visibleFields: readonly string[],
): { fieldErrors: Record<string, string>; formError: string | null } {
  const all = err.fieldMessages();
  const fieldErrors: Record<string, string> = {};
  const rest: string[] = [];
  for (const [field, message] of Object.entries(all)) {
    if (visibleFields.includes(field)) fieldErrors[field] = message;
    else rest.push(message);
  }
  if (Object.keys(all).length === 0) rest.push(err.message);
  return { fieldErrors, formError: rest.length > 0 ? rest.join(' ') : null };
}
