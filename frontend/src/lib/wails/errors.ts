/** Error codes the Go backend sends (backend/apperr). */
export const ERROR_CODES = [
  'invalid',
  'not_found',
  'conflict',
  'unauthenticated',
  'forbidden',
  'locked',
  'rate_limited',
  'session_expired',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One field's message in a form the backend rejected. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * A failed backend call. `field` is the JSON name of the offending form
 * field (e.g. "password"), or '' for an error about the whole form.
 * `fields` holds every field error of the form when the backend sent
 * several (field and message then repeat the first).
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field: string;
  readonly fields: FieldError[];

  constructor(code: ErrorCode, field: string, message: string, fields: FieldError[] = []) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.field = field;
    this.fields = fields;
  }

  /**
   * Every field error as field -> message: all of `fields`, or `field`
   * alone. Empty for a form-level error.
   */
  fieldMessages(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const f of this.fields) {
      if (f.field && !(f.field in out)) out[f.field] = f.message;
    }
    if (this.field && !(this.field in out)) out[this.field] = this.message;
    return out;
  }
}

function parseFields(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  const out: FieldError[] = [];
  for (const item of value) {
    if (item === null || typeof item !== 'object') continue;
    const { field, message } = item as Record<string, unknown>;
    if (typeof field === 'string' && typeof message === 'string' && message !== '') {
      out.push({ field, message });
    }
  }
  return out;
}

const FALLBACK_MESSAGE = 'Internal error';

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

function fromString(text: string): AppError {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (parsed !== null && typeof parsed === 'object') {
        const { code, field, message, fields } = parsed as Record<string, unknown>;
        if (typeof message === 'string' || isErrorCode(code)) {
          return new AppError(
            isErrorCode(code) ? code : 'internal',
            typeof field === 'string' ? field : '',
            typeof message === 'string' && message !== '' ? message : FALLBACK_MESSAGE,
            parseFields(fields),
          );
        }
      }
    } catch {
      // Not JSON after all: fall through and show the text as it is.
    }
  }
  return new AppError('internal', '', trimmed === '' ? FALLBACK_MESSAGE : text);
}

/**
 * Turns whatever a rejected Wails call produced into an AppError.
 * Wails rejects with a string; ours is JSON {code, field, message, fields?}.
 */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (typeof e === 'string') return fromString(e);
  if (e instanceof Error) return fromString(e.message);
  return new AppError('internal', '', FALLBACK_MESSAGE);
}
