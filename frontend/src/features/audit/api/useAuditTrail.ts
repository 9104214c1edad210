import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { auditApi, type AppError, type AuditFilter, type AuditRecord } from '../../../lib/wails';
import { useSession } from '../../session/useSession';

/** Records per QueryAudit call. */
export const AUDIT_PAGE_SIZE = 100;

interface Loaded {
  /** The filter (and refresh count) these records belong to. */
  key: string;
  records: AuditRecord[];
  /** Cursor of the next page; 0 when there is no more. */
  next: number;
  error: AppError | null;
}

export interface AuditTrail {
  /** Loaded records, newest first (the previous filter's while the first page loads). */
  records: AuditRecord[];
  /** True until the first page of the current filter arrived. */
  loading: boolean;
  error: AppError | null;
  hasMore: boolean;
  loadingMore: boolean;
  /** Fetches the next page (before = the last page's next). */
  loadMore: () => void;
  /** Starts again from the newest record. */
  refresh: () => void;
}

/**
 * The filtered audit trail, a page of AUDIT_PAGE_SIZE at a time: only what
 * the operator asked to see is fetched, however long the trail.
 */
export function useAuditTrail(filter: AuditFilter): AuditTrail {
  const { handleError } = useSession();
  const [version, setVersion] = useState(0);
  const key = useMemo(() => JSON.stringify({ filter, version }), [filter, version]);
  const [loaded, setLoaded] = useState<Loaded>({ key: '', records: [], next: 0, error: null });
  const [loadingMore, setLoadingMore] = useState(false);
  const latestKey = useRef(key);

  useEffect(() => {
    latestKey.current = key;
    let cancelled = false;
    auditApi.queryAudit(filter, 0, AUDIT_PAGE_SIZE).then(
      (page) => {
        if (!cancelled) setLoaded({ key, records: page.records, next: page.next, error: null });
      },
      (e: unknown) => {
        const error = handleError(e);
        if (!cancelled) setLoaded({ key, records: [], next: 0, error });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [key, filter, handleError]);

  const current = loaded.key === key;

  const loadMore = useCallback(() => {
    if (!current || loaded.next === 0 || loadingMore) return;
    const forKey = key;
    setLoadingMore(true);
    auditApi
      .queryAudit(filter, loaded.next, AUDIT_PAGE_SIZE)
      .then(
        (page) => {
          if (latestKey.current !== forKey) return;
          setLoaded((prev) =>
            prev.key === forKey ? { ...prev, records: [...prev.records, ...page.records], next: page.next, error: null } : prev,
          );
        },
        (e: unknown) => {
          const error = handleError(e);
          if (latestKey.current !== forKey) return;
          setLoaded((prev) => (prev.key === forKey ? { ...prev, error } : prev));
        },
      )
      .finally(() => setLoadingMore(false));
  }, [current, key, filter, loaded.next, loadingMore, handleError]);

  const refresh = useCallback(() => setVersion((v) => v + 1), []);

  return {
    records: loaded.records,
    loading: !current,
    error: current ? loaded.error : null,
    hasMore: current && loaded.next > 0,
    loadingMore,
    loadMore,
    refresh,
  };
}
