// Access to the mocked kill switch wrappers of src/lib/wails (see
// wailsMock.ts) and fixtures for the Revoke keys dialog and Restore access.
import { killSwitchApi, type AffectedRow, type RevocationView } from '../lib/wails';
import { makeUserRow } from './fixtures';

export const mockKillSwitch = vi.mocked(killSwitchApi);

export function makeAffectedRow(overrides: Partial<AffectedRow> = {}): AffectedRow {
  return { ...makeUserRow(), status: 'revoke', ...overrides };
}

export const notRevoked: RevocationView = { revoked: false, at: '', by: '', reason: '' };

/** Resets the kill switch mocks to harmless defaults; resetApiMock() calls it. */
export function resetKillSwitchMock(): void {
  mockKillSwitch.previewRevocation
    .mockReset()
    .mockResolvedValue({ total: 0, revoke: 0, notYours: 0, alreadyRevoked: 0, rows: [] });
  mockKillSwitch.revokeAccess.mockReset().mockResolvedValue({ revoked: 0, notYours: 0, alreadyRevoked: 0, batches: 0 });
  mockKillSwitch.getRevocation.mockReset().mockResolvedValue({ ...notRevoked });
  mockKillSwitch.restoreAccess.mockReset().mockResolvedValue({ ...notRevoked });
}
