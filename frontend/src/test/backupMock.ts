// Access to the mocked backup wrappers of src/lib/wails (see wailsMock.ts)
// and fixtures for Settings → Backup and Restore from a backup.
import { backupApi, type BackupResult, type RestoreInfo, type RestoreResult } from '../lib/wails';
import { DATA_DIR, makeState } from './fixtures';

export const mockBackup = vi.mocked(backupApi);

export const BACKUP_FILE = '/home/test/hostbound-20250301-120000.hostbound-backup';
export const ASIDE_DIR = `${DATA_DIR}.before-restore-20250301T120500.000Z`;

export function makeBackupResult(overrides: Partial<BackupResult> = {}): BackupResult {
  return {
    path: BACKUP_FILE,
    records: 1234,
    bytes: 3 * 1024 * 1024,
    auditRecords: 567,
    createdAt: '2025-03-01T12:00:00Z',
    ...overrides,
  };
}

export function makeRestoreInfo(overrides: Partial<RestoreInfo> = {}): RestoreInfo {
  return {
    dataDir: DATA_DIR,
    hasData: true,
    asidePattern: `${DATA_DIR}.before-restore-<time>`,
    needsNewPassphrase: false,
    minPassphrase: 12,
    ...overrides,
  };
}

export function makeRestoreResult(overrides: Partial<RestoreResult> = {}): RestoreResult {
  return {
    file: BACKUP_FILE,
    records: 1234,
    auditRecords: 567,
    createdAt: '2025-03-01T12:00:00Z',
    aside: ASIDE_DIR,
    state: makeState({ phase: 'login' }),
    ...overrides,
  };
}

/** Resets the backup mocks to harmless defaults; resetApiMock() calls it. */
export function resetBackupMock(): void {
  mockBackup.chooseBackupFile.mockReset().mockResolvedValue(BACKUP_FILE);
  mockBackup.chooseRestoreFile.mockReset().mockResolvedValue(BACKUP_FILE);
  mockBackup.createBackup.mockReset().mockImplementation(async (req) => makeBackupResult({ path: req.path }));
  mockBackup.getRestoreInfo.mockReset().mockResolvedValue(makeRestoreInfo());
  mockBackup.restoreBackup.mockReset().mockImplementation(async (req) => makeRestoreResult({ file: req.file }));
  mockBackup.onBackupProgress.mockReset().mockReturnValue(() => {});
  mockBackup.onRestoreProgress.mockReset().mockReturnValue(() => {});
}
