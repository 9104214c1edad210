import { createContext, useContext } from 'react';
import type { IntegrityResult } from '../../lib/wails';

export interface AuditIntegrityValue {
  /** The last verification of the audit chain; null outside a session. */
  integrity: IntegrityResult | null;
  /** Records a verification the operator ran (the Verify integrity button). */
  setIntegrity: (result: IntegrityResult) => void;
}

const noop = () => {};

export const AuditIntegrityContext = createContext<AuditIntegrityValue>({ integrity: null, setIntegrity: noop });

/** The audit chain's integrity as the banners and the Audit screen share it. */
export function useAuditIntegrity(): AuditIntegrityValue {
  return useContext(AuditIntegrityContext);
}
