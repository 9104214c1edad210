// Access to the mocked audit wrappers of src/lib/wails (see wailsMock.ts) and
// fixtures for the Audit and Reports screens and the banners.
import { auditApi, type AuditRecord, type ReportView } from '../lib/wails';

export const mockAudit = vi.mocked(auditApi);

export function makeAuditRecord(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    seq: 1,
    time: '2026-03-01T12:00:00Z',
    actor: 'alice',
    actorName: 'Alice Admin',
    actorKind: 'operator',
    source: 'desktop',
    operation: 'log in',
    target: '',
    result: 'success',
    reason: '',
    hash: '9f2c4e0a7b1d3c5e',
    ...overrides,
  };
}

export function makeReport(overrides: Partial<ReportView> = {}): ReportView {
  return {
    keyStatus: { active: 0, expiring30: 0, expiring7: 0, expiring1: 0, expired: 0, none: 0, disabled: 0, revoked: 0 },
    expiringSoon: [],
    idleKeys: [],
    superAdmins: [],
    perHost: [],
    ...overrides,
  };
}

/** Resets the audit mocks to harmless defaults; resetApiMock() calls it. */
export function resetAuditMock(): void {
  mockAudit.queryAudit.mockReset().mockResolvedValue({ records: [], next: 0 });
  mockAudit.verifyAudit
    .mockReset()
    .mockResolvedValue({ checked: true, ok: true, records: 0, message: 'All 0 records verified', at: '2026-03-01T12:00:00Z' });
  mockAudit.getAuditIntegrity
    .mockReset()
    .mockResolvedValue({ checked: true, ok: true, records: 0, message: 'All 0 records verified', at: '2026-03-01T12:00:00Z' });
  mockAudit.exportAudit.mockReset().mockResolvedValue({ path: '/home/test/Downloads/hostbound-audit.csv', records: 0 });
  mockAudit.onExportProgress.mockReset().mockReturnValue(() => {});
  mockAudit.getReports.mockReset().mockResolvedValue(makeReport());
  mockAudit.listExpiringKeys.mockReset().mockResolvedValue({ total: 0, rows: [] });
}
