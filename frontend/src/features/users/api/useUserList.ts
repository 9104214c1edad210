import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, type AppError, type UserQuery, type UserRow } from '../../../lib/wails';
import { useSession } from '../../session/useSession';

/** Rows per ListUsers call. */
export const PAGE_SIZE = 200;

export type UserFilters = Omit<UserQuery, 'offset' | 'limit'>;

interface Cache {
  /** The filters (and refresh count) these pages belong to. */
  key: string;
  pages: Record<number, UserRow[]>;
  total: number | null;
  error: AppError | null;
}

export interface UserList {
  /** Matching users; null until the first page of these filters arrived. */
  total: number | null;
  /** The row at index, or undefined while its page is loading. */
  rowAt: (index: number) => UserRow | undefined;
  error: AppError | null;
  /** Tell the list which rows are on screen; missing pages are fetched. */
  setVisibleRange: (start: number, end: number) => void;
  /** Drop every page and fetch the visible ones again (after a change). */
  refresh: () => void;
}

/**
 * The Users list as pages of PAGE_SIZE rows, fetched as they scroll into
 * view. Until the first page for new filters arrives, the previous rows stay
 * on screen (no flicker while typing a search).
 */
export function useUserList(filters: UserFilters): UserList {
  const { handleError } = useSession();
  const [version, setVersion] = useState(0);
  const [range, setRange] = useState({ start: 0, end: 0 });
  const [cache, setCache] = useState<Cache>({ key: '', pages: {}, total: null, error: null });
  // Pages requested and not answered yet, by "key|page".
  const pending = useRef(new Set<string>());

  const key = useMemo(() => JSON.stringify({ ...filters, version }), [filters, version]);
  const current = cache.key === key;

  // The key on screen now; answers for any other key are dropped.
  const latestKey = useRef(key);
  useEffect(() => {
    latestKey.current = key;
  }, [key]);

  useEffect(() => {
    // After a failure, wait for refresh() or new filters: no retry loop.
    if (current && cache.error) return;
    const first = Math.floor(range.start / PAGE_SIZE);
    const last = Math.max(first, Math.floor(Math.max(range.end - 1, 0) / PAGE_SIZE));
    const total = current ? cache.total : null;
    for (let page = first; page <= last; page++) {
      if (page > 0 && total !== null && page * PAGE_SIZE >= total) break;
      if (current && cache.pages[page]) continue;
      const id = `${key}|${page}`;
      if (pending.current.has(id)) continue;
      pending.current.add(id);
      api.listUsers({ ...filters, offset: page * PAGE_SIZE, limit: PAGE_SIZE }).then(
        (res) => {
          pending.current.delete(id);
          if (latestKey.current !== key) return;
          setCache((prev) =>
            prev.key === key
              ? { ...prev, pages: { ...prev.pages, [page]: res.rows }, total: res.total, error: null }
              : { key, pages: { [page]: res.rows }, total: res.total, error: null },
          );
        },
        (e: unknown) => {
          pending.current.delete(id);
          const error = handleError(e);
          if (latestKey.current !== key) return;
          setCache((prev) => (prev.key === key ? { ...prev, error } : { ...prev, key, pages: {}, error }));
        },
      );
    }
  }, [key, filters, range.start, range.end, current, cache.pages, cache.total, cache.error, handleError]);

  const setVisibleRange = useCallback((start: number, end: number) => {
    setRange((prev) => (prev.start === start && prev.end === end ? prev : { start, end }));
  }, []);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);

  const pages = cache.pages;
  const rowAt = useCallback((index: number) => pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE], [pages]);

  return {
    total: cache.total,
    rowAt,
    error: current ? cache.error : null,
    setVisibleRange,
    refresh,
  };
}

