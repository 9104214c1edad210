// The Backup binding: Settings → Backup (Create backup…, Restore from
// backup…) and Restore from a backup on the first-run and unlock screens.
// Every method rejects with an AppError; field errors name "path",
// "passphrase", "confirmPassphrase", "file" or "newPassphrase".
import * as Backup from '../../../wailsjs/go/desktop/Backup';
import type { desktop } from '../../../wailsjs/go/models';
import { EventsOn } from '../../../wailsjs/runtime/runtime';
import { call } from './call';
import type { AppState, Data } from './types';

export type BackupRequest = Data<desktop.BackupRequest>;
export type BackupResult = Data<desktop.BackupResult>;
export type RestoreRequest = Data<desktop.RestoreRequest>;
export type RestoreInfo = Data<desktop.RestoreInfo>;
/** A restore's outcome; state is the app after it (the login screen). */
export type RestoreResult = Omit<Data<desktop.RestoreResult>, 'state'> & { state: AppState };
/** Done of total store entries written (backup) or read (restore) so far. */
export interface BackupProgress {
  done: number;
  total: number;
}

/** The Wails events CreateBackup and RestoreBackup send while they run. */
const BACKUP_PROGRESS_EVENT = 'backup-progress';
const RESTORE_PROGRESS_EVENT = 'restore-progress';

function onProgress(event: string, fn: (p: BackupProgress) => void): () => void {
  return EventsOn(event, (p: Partial<BackupProgress> | null) =>
    fn({ done: Number(p?.done) || 0, total: Number(p?.total) || 0 }),
  );
}

export const backupApi = {
  /** The save dialog for a new backup file; '' when cancelled. */
  chooseBackupFile: (): Promise<string> => call(Backup.ChooseBackupFile),
  /** The open dialog for the backup to restore; '' when cancelled. */
  chooseRestoreFile: (): Promise<string> => call(Backup.ChooseRestoreFile),
  /** Writes an encrypted backup of the whole vault; answers when it is written. */
  createBackup: (req: BackupRequest): Promise<BackupResult> => call(Backup.CreateBackup, req as desktop.BackupRequest),
  /** Where the current data would be kept aside, and whether a new passphrase is needed. */
  getRestoreInfo: (): Promise<RestoreInfo> => call(Backup.GetRestoreInfo),
  /** Verifies the whole backup, then replaces the vault with it; the session ends. */
  restoreBackup: (req: RestoreRequest): Promise<RestoreResult> =>
    call(Backup.RestoreBackup, req as desktop.RestoreRequest) as Promise<RestoreResult>,
  /** Calls fn as a running backup writes; returns the unsubscribe. */
  onBackupProgress: (fn: (p: BackupProgress) => void): (() => void) => onProgress(BACKUP_PROGRESS_EVENT, fn),
  /** Calls fn as a running restore reads; returns the unsubscribe. */
  onRestoreProgress: (fn: (p: BackupProgress) => void): (() => void) => onProgress(RESTORE_PROGRESS_EVENT, fn),
};

export type BackupApi = typeof backupApi;
