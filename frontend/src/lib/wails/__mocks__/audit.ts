// The mocked ../audit.ts, re-exported by ./index.ts. Defaults are set by
// resetAuditMock() in src/test/auditMock.ts.
import type { AuditApi } from '../audit';

export type * from '../audit';

export const auditApi = {
  queryAudit: vi.fn<AuditApi['queryAudit']>(),
  verifyAudit: vi.fn<AuditApi['verifyAudit']>(),
  getAuditIntegrity: vi.fn<AuditApi['getAuditIntegrity']>(),
  exportAudit: vi.fn<AuditApi['exportAudit']>(),
  onExportProgress: vi.fn<AuditApi['onExportProgress']>(),
  getReports: vi.fn<AuditApi['getReports']>(),
  getDashboard: vi.fn<AuditApi['getDashboard']>(),
  listExpiringKeys: vi.fn<AuditApi['listExpiringKeys']>(),
} satisfies AuditApi;
