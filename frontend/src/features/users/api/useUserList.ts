import { useCallback, useEffect, useState } from 'react';
import { useLoad } from '../../../hooks/useLoad';
import { api, type AppError, type UserQuery, type UserRow } from '../../../lib/wails';

/** Rows per ListUsers call. */
export const PAGE_SIZE = 200;

export type UserFilters = Omit<UserQuery, 'offset' | 'limit'>;

/** The pages loaded so far, by page number. */
interface Pages {
  total: number;
  pages: Record<number, UserRow[]>;
}

export interface UserList {
  /** Matching users; null until the first page arrived. */
  total: number | null;
  /** The row at index, or undefined while its page is loading. */
  rowAt: (index: number) => UserRow | undefined;
  error: AppError | null;
  /** Tell the list which rows are on screen; missing pages are fetched. */
  setVisibleRange: (start: number, end: number) => void;
  /** Drop every page and fetch the visible ones again (after a change). */
  refresh: () => void;
}

function pagesIn(range: { start: number; end: number }): number[] {
  const first = Math.floor(range.start / PAGE_SIZE);
  const last = Math.max(first, Math.floor(Math.max(range.end - 1, 0) / PAGE_SIZE));
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/**
 * The Users list as pages of PAGE_SIZE rows, fetched as they scroll into
 * view. Until the first pages for new filters arrive, the previous rows stay
 * on screen (no flicker while typing a search).
 */
export function useUserList(filters: UserFilters): UserList {
  const [range, setRange] = useState({ start: 0, end: 0 });
  const fetchPage = useCallback(
    (page: number) => api.listUsers({ ...filters, offset: page * PAGE_SIZE, limit: PAGE_SIZE }),
    [filters],
  );

  // New filters (or refresh) start with the pages in view.
  const { data, error, loading, reload, more } = useLoad(async (): Promise<Pages> => {
    const pages = pagesIn(range);
    const answers = await Promise.all(pages.map(fetchPage));
    return { total: answers[0].total, pages: Object.fromEntries(pages.map((p, i) => [p, answers[i].rows])) };
  }, [filters]);

  // Then the pages that scroll into view.
  useEffect(() => {
    // After a failure, wait for refresh() or new filters: no retry loop.
    if (loading || error || !data) return;
    for (const page of pagesIn(range)) {
      if (page > 0 && page * PAGE_SIZE >= data.total) break;
      if (data.pages[page]) continue;
      more(
        String(page),
        () => fetchPage(page),
        (loaded, res): Pages => ({ total: res.total, pages: { ...loaded.pages, [page]: res.rows } }),
      );
    }
  }, [range, data, loading, error, more, fetchPage]);

  const setVisibleRange = useCallback((start: number, end: number) => {
    setRange((prev) => (prev.start === start && prev.end === end ? prev : { start, end }));
  }, []);

  const rowAt = useCallback((index: number) => data?.pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE], [data]);

  return { total: data?.total ?? null, rowAt, error, setVisibleRange, refresh: reload };
}
