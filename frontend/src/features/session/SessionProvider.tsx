import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, toAppError, type AppError, type AppState } from '../../lib/wails';
import { inactivityNotice } from './notices';
import { SessionContext, type SessionContextValue } from './session-context';
import { useIdleTimeout } from './useIdleTimeout';

/** Holds the app state for the whole UI and keeps the session alive. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AppState | null>(null);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The last known idle timeout, for the notice once the state has moved on.
  const idleSecondsRef = useRef(0);

  const applyState = useCallback((next: AppState, nextNotice?: string) => {
    if (next.idleTimeoutSeconds > 0) idleSecondsRef.current = next.idleTimeoutSeconds;
    setState(next);
    setLoadError(null);
    setNotice(nextNotice ?? null);
  }, []);

  const endSession = useCallback((next?: AppState) => {
    if (next && next.idleTimeoutSeconds > 0) idleSecondsRef.current = next.idleTimeoutSeconds;
    setState((prev) => next ?? (prev ? { ...prev, phase: 'login', operator: undefined } : prev));
    setNotice(inactivityNotice(idleSecondsRef.current));
  }, []);

  const handleError = useCallback(
    (e: unknown) => {
      const err = toAppError(e);
      if (err.code === 'session_expired') endSession();
      return err;
    },
    [endSession],
  );

  const reload = useCallback(async () => {
    try {
      applyState(await api.getAppState());
    } catch (e) {
      setLoadError(handleError(e));
    }
  }, [applyState, handleError]);

  const logOut = useCallback(
    async (reason: 'user' | 'idle' = 'user') => {
      try {
        const next = await api.logOut();
        if (reason === 'idle') endSession(next);
        else applyState(next);
      } catch (e) {
        const err = handleError(e);
        if (err.code === 'session_expired') return;
        if (reason === 'idle') {
          endSession();
          return;
        }
        // The backend refused to log out: show whatever it thinks is true.
        await reload();
      }
    },
    [applyState, endSession, handleError, reload],
  );

  useEffect(() => {
    let cancelled = false;
    api.getAppState().then(
      (next) => {
        if (!cancelled) applyState(next);
      },
      (e: unknown) => {
        if (!cancelled) setLoadError(toAppError(e));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [applyState]);

  const keepAlive = useCallback(() => {
    api.keepAlive().catch((e: unknown) => {
      handleError(e);
    });
  }, [handleError]);
  const logOutIdle = useCallback(() => {
    void logOut('idle');
  }, [logOut]);

  useIdleTimeout({
    enabled: state?.phase === 'ready',
    timeoutSeconds: state?.idleTimeoutSeconds ?? 0,
    onKeepAlive: keepAlive,
    onIdle: logOutIdle,
  });

  const value = useMemo<SessionContextValue>(
    () => ({ state, loadError, notice, applyState, handleError, reload, logOut }),
    [state, loadError, notice, applyState, handleError, reload, logOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
