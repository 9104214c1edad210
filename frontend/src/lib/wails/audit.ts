// The Audit binding: the Audit and Reports screens and the banners. Every
// method rejects with an AppError.
import * as Audit from '../../../wailsjs/go/desktop/Audit';
import * as Users from '../../../wailsjs/go/desktop/Users';
import type { desktop } from '../../../wailsjs/go/models';
import { EventsOn } from '../../../wailsjs/runtime/runtime';
import { userPage, userRow } from './api';
import { call, list } from './call';
import type {
  ActivityBucket,
  AuditFilter,
  AuditPage,
  DashboardView,
  ExportFormat,
  ExportResult,
  IntegrityResult,
  KeyStatusCounts,
  ReportView,
  UserPage,
} from './types';

/** Rows the expiring-keys banner asks for. */
const EXPIRING_KEYS_LIMIT = 50;

/** The Wails event ExportAudit sends with the count of records written so far. */
const EXPORT_PROGRESS_EVENT = 'audit-export-progress';

const KEY_STATUS_BUCKETS: (keyof KeyStatusCounts)[] = [
  'active',
  'expiring30',
  'expiring7',
  'expiring1',
  'expired',
  'none',
  'disabled',
  'revoked',
];

function reportView(v: desktop.ReportView): ReportView {
  const counts = v.keyStatus ?? {};
  return {
    ...v,
    keyStatus: Object.fromEntries(KEY_STATUS_BUCKETS.map((k) => [k, counts[k] ?? 0])) as KeyStatusCounts,
    expiringSoon: list(v.expiringSoon).map(userRow),
    idleKeys: list(v.idleKeys).map(userRow),
    superAdmins: list(v.superAdmins).map(userRow),
    perHost: list(v.perHost),
  };
}

function buckets(bs: { start: unknown; calls: number; refusals: number }[] | undefined): ActivityBucket[] {
  return list(bs).map((b) => ({ start: String(b.start), calls: b.calls, refusals: b.refusals }));
}

function dashboardView(v: desktop.DashboardView): DashboardView {
  const act = v.activity;
  return {
    keys: v.keys ?? null,
    activity: act
      ? {
          hours: buckets(act.hours),
          days: buckets(act.days),
          refusals: list(act.refusals).map((r) => ({ ...r, time: String(r.time) })),
        }
      : null,
    api: v.api,
    ssh: v.ssh,
    gettingStarted: v.gettingStarted ?? null,
  };
}

export const auditApi = {
  /** A page of the filtered trail, newest first; before = the previous page's next (0: newest). */
  queryAudit: (filter: AuditFilter, before: number, limit: number): Promise<AuditPage> =>
    call(Audit.QueryAudit, filter, before, limit).then((p) => ({ ...p, records: list(p.records) })),

  /** Walks the whole chain now. */
  verifyAudit: (): Promise<IntegrityResult> => call(Audit.VerifyAudit),

  /** The last verification (the one at unlock, or the last Verify). */
  getAuditIntegrity: (): Promise<IntegrityResult> => call(Audit.GetAuditIntegrity),

  /** Writes the filtered trail to the Downloads folder. */
  exportAudit: (format: ExportFormat, filter: AuditFilter): Promise<ExportResult> => call(Audit.ExportAudit, format, filter),

  /** Calls onCount with the records written so far while an export runs; returns the unsubscribe. */
  onExportProgress: (onCount: (records: number) => void): (() => void) =>
    EventsOn(EXPORT_PROGRESS_EVENT, (n: unknown) => onCount(Number(n) || 0)),

  getReports: (): Promise<ReportView> => call(Audit.GetReports).then(reportView),

  /** The Home screen's figures (from aggregates: no scan of the trail). */
  getDashboard: (): Promise<DashboardView> => call(Audit.GetDashboard).then(dashboardView),

  /** API users whose key expires within 30 days, soonest first (ListUsers with keyStatus 'expiring'). */
  listExpiringKeys: (): Promise<UserPage> =>
    call(Users.ListUsers, {
      search: '',
      kind: 'api',
      role: '',
      keyStatus: 'expiring',
      sortBy: 'keyExpiresAt',
      desc: false,
      offset: 0,
      limit: EXPIRING_KEYS_LIMIT,
    }).then(userPage),
};

export type AuditApi = typeof auditApi;
