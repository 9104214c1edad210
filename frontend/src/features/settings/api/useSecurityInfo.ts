import { useEffect, useState } from 'react';
import { api, type AppError, type SecurityInfo } from '../../../lib/wails';
import { useSession } from '../../session/useSession';

type Result =
  | { status: 'loading' }
  | { status: 'ok'; info: SecurityInfo }
  | { status: 'error'; error: AppError };

/** Loads GetSecurityInfo once; a session_expired error ends the session. */
export function useSecurityInfo(): Result {
  const { handleError } = useSession();
  const [result, setResult] = useState<Result>({ status: 'loading' });

  useEffect(() => {
    let cancelled = false;
    api.getSecurityInfo().then(
      (info) => {
        if (!cancelled) setResult({ status: 'ok', info });
      },
      (e: unknown) => {
        const error = handleError(e);
        if (!cancelled) setResult({ status: 'error', error });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [handleError]);

  return result;
}
