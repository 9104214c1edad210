import { useEffect, useState } from 'react';
import { api, type AppError, type UserDetail } from '../../../lib/wails';
import { useSession } from '../../session/useSession';

/** Loads one user for an edit form; username null (adding) loads nothing. */
export function useUserDetail(username: string | null) {
  const { handleError } = useSession();
  const [detail, setDetail] = useState<UserDetail | null>(null);
  const [loadError, setLoadError] = useState<AppError | null>(null);

  useEffect(() => {
    if (username === null) return;
    let cancelled = false;
    api.getUser(username).then(
      (d) => {
        if (!cancelled) setDetail(d);
      },
      (e: unknown) => {
        const err = handleError(e);
        if (!cancelled) setLoadError(err);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [username, handleError]);

  return { detail, loadError };
}
