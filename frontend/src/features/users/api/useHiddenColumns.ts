import { useCallback, useState } from 'react';
import { COLUMNS, DEFAULT_HIDDEN, type ColumnId } from '../components/UserTable';

/** Where the column chooser keeps the hidden columns of the Users list. */
export const COLUMNS_STORAGE_KEY = 'hostbound.users.columns';

const KNOWN = new Set<string>(COLUMNS.map((c) => c.id));

function load(): ColumnId[] {
  try {
    const raw = window.localStorage.getItem(COLUMNS_STORAGE_KEY);
    if (raw === null) return DEFAULT_HIDDEN;
    const parsed: unknown = JSON.parse(raw);
    const hidden = (parsed as { hidden?: unknown })?.hidden;
    if (!Array.isArray(hidden)) return DEFAULT_HIDDEN;
    return hidden.filter((id): id is ColumnId => typeof id === 'string' && KNOWN.has(id));
  } catch {
    return DEFAULT_HIDDEN;
  }
}

/** The hidden columns of the Users list, remembered in localStorage. */
export function useHiddenColumns() {
  const [hidden, setHidden] = useState<ColumnId[]>(load);
  const toggle = useCallback((id: ColumnId, shown: boolean) => {
    setHidden((prev) => {
      const next = shown ? prev.filter((h) => h !== id) : prev.includes(id) ? prev : [...prev, id];
      try {
        window.localStorage.setItem(COLUMNS_STORAGE_KEY, JSON.stringify({ hidden: next }));
      } catch {
        // Storage full or off: the choice holds until the app closes.
      }
      return next;
    });
  }, []);
  const reset = useCallback(() => {
    try {
      window.localStorage.removeItem(COLUMNS_STORAGE_KEY);
    } catch {
      // ignore
    }
    setHidden(DEFAULT_HIDDEN);
  }, []);
  return { hidden, toggle, reset };
}
