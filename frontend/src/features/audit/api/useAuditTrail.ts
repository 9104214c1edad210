import { useCallback } from 'react';
import { useLoad } from '../../../hooks/useLoad';
import { auditApi, type AppError, type AuditFilter, type AuditPage, type AuditRecord } from '../../../lib/wails';

/** Records per QueryAudit call. */
export const AUDIT_PAGE_SIZE = 100;

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
  const trail = useLoad(() => auditApi.queryAudit(filter, 0, AUDIT_PAGE_SIZE), [filter]);
  const { data, loading, more } = trail;
  // Cursor of the next page; 0 when there is no more.
  const next = loading ? 0 : (data?.next ?? 0);

  const loadMore = useCallback(() => {
    if (next === 0) return;
    more(
      String(next),
      () => auditApi.queryAudit(filter, next, AUDIT_PAGE_SIZE),
      (loaded, page): AuditPage => ({ records: [...loaded.records, ...page.records], next: page.next }),
    );
  }, [next, filter, more]);

  return {
    records: data?.records ?? [],
    loading,
    error: trail.error,
    hasMore: next > 0,
    loadingMore: trail.loadingMore,
    loadMore,
    refresh: trail.reload,
  };
}
