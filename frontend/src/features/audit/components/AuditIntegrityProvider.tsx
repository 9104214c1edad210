import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { auditApi, type IntegrityResult } from '../../../lib/wails';
import { useSession } from '../../session/useSession';
import { AuditIntegrityContext, type AuditIntegrityValue } from '../integrity-context';

/** How often to ask again while the check after unlock still runs. */
export const INTEGRITY_POLL_MS = 2000;

/**
 * Starts from the app state's auditIntegrity and keeps it current: polls
 * GetAuditIntegrity while the background check after unlock runs, and takes
 * the result of a Verify integrity press.
 */
export function AuditIntegrityProvider({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const base = state?.auditIntegrity ?? null;
  // A newer result than the app state's, for as long as that state stands.
  const [local, setLocal] = useState<{ base: IntegrityResult | null; value: IntegrityResult } | null>(null);
  const integrity = local && local.base === base ? local.value : base;

  const setIntegrity = useCallback((value: IntegrityResult) => setLocal({ base, value }), [base]);

  useEffect(() => {
    if (!integrity || integrity.checked) return;
    let cancelled = false;
    const timer = window.setTimeout(() => {
      auditApi.getAuditIntegrity().then(
        (value) => {
          if (!cancelled) setLocal({ base, value });
        },
        () => {
          // Keep the last known state; the next state change tries again.
        },
      );
    }, INTEGRITY_POLL_MS);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [integrity, base]);

  const value = useMemo<AuditIntegrityValue>(() => ({ integrity, setIntegrity }), [integrity, setIntegrity]);
  return <AuditIntegrityContext.Provider value={value}>{children}</AuditIntegrityContext.Provider>;
}
