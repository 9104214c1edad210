// Access to the mocked audit wrappers of src/lib/wails (see wailsMock.ts) and
// fixtures for the Audit and Reports screens and the banners.
import { auditApi, type ActivityBucket, type AuditRecord, type DashboardView, type ReportView } from '../lib/wails';

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
    prev: '',
    hash: '9f2c4e0a7b1d3c5e',
    version: 1,
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

/** count buckets of size stepMs ending with the one that holds `end`, all zero. */
export function emptyBuckets(count: number, stepMs: number, end = Date.parse('2026-03-01T12:00:00Z')): ActivityBucket[] {
  return Array.from({ length: count }, (_, i) => ({
    start: new Date(end - (count - 1 - i) * stepMs).toISOString(),
    calls: 0,
    refusals: 0,
  }));
}

const HOUR = 3_600_000;

/** An administrator's Home with no API users yet. */
export function makeDashboard(overrides: Partial<DashboardView> = {}): DashboardView {
  return {
    keys: {
      apiUsers: 0,
      active: 0,
      expiringWithin30: 0,
      expiringWithin7: 0,
      expiringWithin1: 0,
      expired: 0,
      noKey: 0,
      disabled: 0,
      revoked: 0,
      idle: 0,
    },
    activity: { hours: emptyBuckets(24, HOUR), days: emptyBuckets(30, 24 * HOUR), refusals: [] },
    api: { running: true, address: '127.0.0.1:7272', error: '' },
    ssh: { running: false, address: '', error: 'The SSH CLI is turned off in Settings' },
    gettingStarted: {
      baseUrl: 'https://127.0.0.1:7272/restapi/json/v1',
      publicKeyPin: 'sha256//q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c=',
      resources: 0,
      command: `curl -sk --pinnedpubkey 'sha256//q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c=' -H "AUTHTOKEN: $HOSTBOUND_KEY" 'https://127.0.0.1:7272/restapi/json/v1/resources'`,
      example: '',
    },
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
  mockAudit.getDashboard.mockReset().mockResolvedValue(makeDashboard());
  mockAudit.listExpiringKeys.mockReset().mockResolvedValue({ total: 0, rows: [] });
}
