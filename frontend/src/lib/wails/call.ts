import { toAppError } from './errors';

/**
 * Calls a bound Go method: the one place where a rejected Wails promise (a
 * JSON string, see errors.ts) becomes an AppError.
 */
export async function call<A extends unknown[], R>(method: (...args: A) => Promise<R>, ...args: A): Promise<R> {
  try {
    return await method(...args);
  } catch (e) {
    throw toAppError(e);
  }
}

/** A list from Go: encoding/json writes a nil slice as null. */
export function list<T>(items: T[] | null | undefined): T[] {
  return items ?? [];
}
