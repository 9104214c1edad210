import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import { useSession } from '../features/session/useSession';
import type { AppError } from '../lib/wails';

export interface Loaded<T> {
  /**
   * The last answer. It stays on screen while new deps or a reload load
   * (no flicker while typing a search), and after a failed reload; a failed
   * load for new deps leaves undefined. Undefined before the first answer.
   */
  data: T | undefined;
  /** Why the last load (or more()) for the current deps failed; null after a success or while new deps load. */
  error: AppError | null;
  /** True until the answer for the current deps and reload arrived. */
  loading: boolean;
  /** Loads again with the same deps. */
  reload: () => void;
  /**
   * For paging: fetches more and merges the answer into data. An answer
   * that arrives after the deps changed or a reload started is dropped, as
   * is one that beats the load it extends; calls with the same id run once
   * at a time. A failure sets error and keeps data.
   */
  more: <R>(id: string, fetch: () => Promise<R>, merge: (data: T, answer: R) => T) => void;
  /** A more() fetch is running. */
  loadingMore: boolean;
}

interface State<T> {
  /** The request (reload count and deps) of the last answer. */
  settled: string;
  /** The deps of the last answer. */
  key: string;
  data: T | undefined;
  /** The deps data was loaded for. */
  dataKey: string;
  error: AppError | null;
}

/**
 * Calls load when the component mounts, whenever deps change and on
 * reload(); answers for older deps are dropped. deps are compared by value
 * (as JSON), so a filter object built in render does not load again; load
 * itself may read anything from the latest render. A null load loads
 * nothing. Failures go through the session's handleError, so
 * session_expired ends the session.
 */
export function useLoad<T>(load: (() => Promise<T>) | null, deps: readonly unknown[]): Loaded<T> {
  const { handleError } = useSession();
  const key = JSON.stringify(deps);
  const [version, setVersion] = useState(0);
  const request = `${version}|${key}`;
  const [state, setState] = useState<State<T>>({ settled: '', key: '', data: undefined, dataKey: '', error: null });
  const [inFlight, setInFlight] = useState(0);
  // The request more() answers belong to, and the more() ids running for it.
  const latest = useRef(request);
  const pending = useRef(new Set<string>());
  const enabled = load !== null;
  const start = useEffectEvent(() => load?.());

  useEffect(() => {
    latest.current = request;
    const answer = start();
    if (!answer) return;
    let cancelled = false;
    answer.then(
      (data) => {
        if (!cancelled) setState({ settled: request, key, data, dataKey: key, error: null });
      },
      (e: unknown) => {
        const error = handleError(e);
        if (cancelled) return;
        setState((prev) =>
          prev.dataKey === key
            ? { ...prev, settled: request, key, error }
            : { settled: request, key, data: undefined, dataKey: '', error },
        );
      },
    );
    return () => {
      cancelled = true;
    };
  }, [request, key, handleError]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);

  const more = useCallback(
    <R>(id: string, fetch: () => Promise<R>, merge: (data: T, answer: R) => T) => {
      const forRequest = latest.current;
      const pendingId = `${forRequest}|${id}`;
      if (pending.current.has(pendingId)) return;
      pending.current.add(pendingId);
      setInFlight((n) => n + 1);
      const apply = (update: (prev: State<T>) => State<T>) => {
        if (latest.current !== forRequest) return;
        setState((prev) => (prev.settled === forRequest && prev.data !== undefined ? update(prev) : prev));
      };
      fetch()
        .then(
          (answer) => apply((prev) => ({ ...prev, data: merge(prev.data as T, answer), error: null })),
          (e: unknown) => {
            const error = handleError(e);
            apply((prev) => ({ ...prev, error }));
          },
        )
        .finally(() => {
          pending.current.delete(pendingId);
          setInFlight((n) => n - 1);
        });
    },
    [handleError],
  );

  return {
    data: state.data,
    error: state.key === key ? state.error : null,
    loading: enabled && state.settled !== request,
    reload,
    more,
    loadingMore: inFlight > 0,
  };
}
