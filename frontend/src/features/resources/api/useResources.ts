import { useCallback, useEffect, useState } from 'react';
import { vaultApi, type AppError, type ResourceDetail, type ResourceView } from '../../../lib/wails';
import { useSession } from '../../session/useSession';

interface Loaded<T> {
  data: T | null;
  error: AppError | null;
  /** Loads again; the current data stays shown meanwhile. */
  reload: () => void;
}

function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const { handleError } = useSession();
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<{ data: T | null; error: AppError | null }>({ data: null, error: null });

  useEffect(() => {
    let cancelled = false;
    load().then(
      (data) => {
        if (!cancelled) setState({ data, error: null });
      },
      (e: unknown) => {
        const error = handleError(e);
        if (!cancelled) setState((prev) => ({ data: prev.data, error }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [load, version, handleError]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { ...state, reload };
}

/** The resources the operator may see, sorted by name. */
export function useResources(): Loaded<ResourceView[]> {
  const load = useCallback(
    () =>
      vaultApi
        .listResources()
        .then((rs) => [...rs].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }))),
    [],
  );
  return useLoad(load);
}

/** One resource with its accounts and shares. */
export function useResourceDetail(id: string): Loaded<ResourceDetail> {
  const load = useCallback(() => vaultApi.getResource(id), [id]);
  return useLoad(load);
}
