import { useCallback, useEffect, useState } from 'react';
import { api, type AppError, type PermissionView, type RoleView } from '../../../lib/wails';
import { useSession } from '../../session/useSession';

interface Loaded<T> {
  data: T;
  loading: boolean;
  error: AppError | null;
  reload: () => void;
}

/** Loads a list once and again on reload(); a session_expired error ends the session. */
function useList<T>(load: () => Promise<T[]>): Loaded<T[]> {
  const { handleError } = useSession();
  const [version, setVersion] = useState(0);
  const [result, setResult] = useState<{ version: number; data: T[]; error: AppError | null } | null>(null);

  useEffect(() => {
    let cancelled = false;
    load().then(
      (data) => {
        if (!cancelled) setResult({ version, data, error: null });
      },
      (e: unknown) => {
        const error = handleError(e);
        if (!cancelled) setResult((prev) => ({ version, data: prev?.data ?? [], error }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [load, handleError, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return {
    data: result?.data ?? [],
    loading: result === null || result.version !== version,
    error: result?.error ?? null,
    reload,
  };
}

/** Every role (built-in and custom) with its holders count. */
export function useRoles(): Loaded<RoleView[]> {
  return useList(api.listRoles);
}

/** Every permission a role can grant, in display order. */
export function usePermissions(): Loaded<PermissionView[]> {
  return useList(api.listPermissions);
}
