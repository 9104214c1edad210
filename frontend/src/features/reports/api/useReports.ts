import { useCallback, useEffect, useState } from 'react';
import { auditApi, type AppError, type ReportView } from '../../../lib/wails';
import { useSession } from '../../session/useSession';

export type ReportsResult =
  | { status: 'loading' }
  | { status: 'error'; error: AppError }
  | { status: 'ok'; report: ReportView };

/** The reports, computed by the backend when the screen opens (and on reload). */
export function useReports(): ReportsResult & { reload: () => void } {
  const { handleError } = useSession();
  const [version, setVersion] = useState(0);
  const [loaded, setLoaded] = useState<{ version: number; result: ReportsResult } | null>(null);

  useEffect(() => {
    let cancelled = false;
    auditApi.getReports().then(
      (report) => {
        if (!cancelled) setLoaded({ version, result: { status: 'ok', report } });
      },
      (e: unknown) => {
        const error = handleError(e);
        if (!cancelled) setLoaded({ version, result: { status: 'error', error } });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [version, handleError]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  // While reloading, the last report stays on screen.
  const result: ReportsResult = loaded ? loaded.result : { status: 'loading' };
  return { ...result, reload };
}
