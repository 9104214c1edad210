import { createContext } from 'react';
import type { AppError, AppState } from '../../lib/wails';

export interface SessionContextValue {
  /** The backend's view of the app; null until the first GetAppState answers. */
  state: AppState | null;
  /** Why the last GetAppState failed, if it did. */
  loadError: AppError | null;
  /** A message for the login screen, e.g. after an idle timeout. */
  notice: string | null;
  /**
   * Replaces the app state with one the backend returned; replaces the
   * notice with nextNotice (e.g. after a restore), or clears it.
   */
  applyState: (next: AppState, nextNotice?: string) => void;
  /**
   * Converts a rejected call into an AppError. A session_expired error also
   * sends the app to the login screen with the inactivity notice.
   */
  handleError: (e: unknown) => AppError;
  /** Asks the backend for the app state again. */
  reload: () => Promise<void>;
  /** Logs out; with 'idle' the login screen explains why. */
  logOut: (reason?: 'user' | 'idle') => Promise<void>;
}

export const SessionContext = createContext<SessionContextValue | null>(null);
