// Access to the mocked bulk wrappers of src/lib/wails (see wailsMock.ts) and
// a stand-in backend for Add API Users in Bulk: host lists are split by
// line, and a host with a space in it is refused with the form's message.
import { bulkApi, type BulkCommon, type BulkPreview, type BulkResult, type BulkRow } from '../lib/wails';

export const mockBulk = vi.mocked(bulkApi);

export const BAD_HOST = 'Host Name: not a valid hostname, IP address or CIDR';

export function hostRows(text: string): BulkRow[] {
  return text
    .split('\n')
    .map((h, i) => ({ h: h.trim(), line: i + 1 }))
    .filter(({ h }) => h !== '')
    .map(({ h, line }) => ({
      line,
      username: '',
      host: h,
      fullName: '',
      accessLevel: '',
      accessScope: '',
      department: '',
      location: '',
      expiryDate: '',
      sshPublicKey: '',
    }));
}

export function checkRows(rows: BulkRow[], common: BulkCommon): BulkPreview {
  const views = rows.map((r) => {
    const username = r.username || (common.prefix ? `${common.prefix}@${r.host}` : r.host);
    const errors = /\s/.test(r.host) ? [{ field: 'host', message: BAD_HOST }] : [];
    return { line: r.line, username, fullName: r.fullName || username, sealable: r.sshPublicKey.startsWith('ssh-ed25519'), errors };
  });
  return { rows: views, bad: views.filter((v) => v.errors.length > 0).length };
}

export function makeBulkResult(overrides: Partial<BulkResult> = {}): BulkResult {
  return {
    total: 0,
    created: 0,
    skipped: 0,
    inKeyFile: 0,
    sealed: 0,
    cancelled: false,
    keyFile: '',
    sealDir: '',
    message: '',
    ...overrides,
  };
}

/** Resets the bulk mocks to the stand-in backend; call it in beforeEach. */
export function resetBulkMock(): void {
  mockBulk.parseBulkHosts.mockReset().mockImplementation(async (text) => hostRows(text));
  mockBulk.parseBulkCSV.mockReset().mockResolvedValue([]);
  mockBulk.checkBulkAPIUsers.mockReset().mockImplementation(async (rows, common) => checkRows(rows, common));
  mockBulk.chooseKeyFile.mockReset().mockResolvedValue('');
  mockBulk.chooseSealDirectory.mockReset().mockResolvedValue('');
  mockBulk.createBulkAPIUsers.mockReset().mockResolvedValue(makeBulkResult());
  mockBulk.cancelBulkCreate.mockReset().mockResolvedValue(undefined);
  mockBulk.onBulkProgress.mockReset().mockReturnValue(() => {});
}
