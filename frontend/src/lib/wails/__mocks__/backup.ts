// The mocked ../backup.ts, re-exported by ./index.ts. Defaults are set by
// resetBackupMock() in src/test/backupMock.ts.
import type { BackupApi } from '../backup';

export type * from '../backup';

export const backupApi = {
  chooseBackupFile: vi.fn<BackupApi['chooseBackupFile']>(),
  chooseRestoreFile: vi.fn<BackupApi['chooseRestoreFile']>(),
  createBackup: vi.fn<BackupApi['createBackup']>(),
  getRestoreInfo: vi.fn<BackupApi['getRestoreInfo']>(),
  restoreBackup: vi.fn<BackupApi['restoreBackup']>(),
  onBackupProgress: vi.fn<BackupApi['onBackupProgress']>(),
  onRestoreProgress: vi.fn<BackupApi['onRestoreProgress']>(),
} satisfies BackupApi;
