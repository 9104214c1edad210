// Wrappers over the Audit binding (Audit and Reports screens, the banners).
import * as Audit from '../../../wailsjs/go/desktop/Audit';
import * as Users from '../../../wailsjs/go/desktop/Users';
import { desktop, users } from '../../../wailsjs/go/models';
import { EventsOn } from '../../../wailsjs/runtime/runtime';
import { toIntegrityResult, toUserRow } from './api';
import { toAppError } from './errors';
import type { IntegrityResult, UserPage, UserRow } from './types';

/** '' for any result. */
export type AuditResult = '' | 'success' | 'failure';

/** The Audit screen's filter; empty fields match everything. */
export interface AuditFilter {
  /** RFC 3339, or '' for no lower bound. */
  from: string;
  /** RFC 3339, or '' for no upper bound (exclusive). */
  to: string;
  /** Username (exact, any case). */
  actor: string;
  operation: string;
  /** A part of the target. */
  target: string;
  result: AuditResult;
  /** Source address, e.g. "desktop" or "10.0.0.7". */
  source: string;
}

export type ActorKind = 'operator' | 'api' | 'system';

export interface AuditRecord {
  seq: number;
  /** RFC 3339 (UTC). */
  time: string;
  /** Username. */
  actor: string;
  /** Full name. */
  actorName: string;
  actorKind: ActorKind | string;
  source: string;
  operation: string;
  target: string;
  result: 'success' | 'failure' | string;
  reason: string;
  hash: string;
}

export interface AuditPage {
  /** Newest first. */
  records: AuditRecord[];
  /** Pass as `before` for the next page; 0 when there is no more. */
  next: number;
}

export type ExportFormat = 'csv' | 'jsonl';

export interface ExportResult {
  /** Where the file was written (the Downloads folder). */
  path: string;
  records: number;
}

/** API users by key status. */
export interface KeyStatusCounts {
  active: number;
  expiring30: number;
  expiring7: number;
  expiring1: number;
  expired: number;
  none: number;
  disabled: number;
}

export interface HostCount {
  host: string;
  count: number;
}

export interface ReportView {
  keyStatus: KeyStatusCounts;
  expiringSoon: UserRow[];
  idleKeys: UserRow[];
  superAdmins: UserRow[];
  perHost: HostCount[];
}

/** Rows the expiring-keys banner asks for. */
const EXPIRING_KEYS_LIMIT = 50;

/** The Wails event ExportAudit sends with the count of records written so far. */
const EXPORT_PROGRESS_EVENT = 'audit-export-progress';

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toAppError(e);
  }
}

function toAuditRecord(r: desktop.AuditRecord): AuditRecord {
  return {
    seq: r.seq ?? 0,
    time: r.time ?? '',
    actor: r.actor ?? '',
    actorName: r.actorName ?? '',
    actorKind: r.actorKind ?? '',
    source: r.source ?? '',
    operation: r.operation ?? '',
    target: r.target ?? '',
    result: r.result ?? '',
    reason: r.reason ?? '',
    hash: r.hash ?? '',
  };
}

function toReportView(v: desktop.ReportView): ReportView {
  const k = v.keyStatus ?? {};
  return {
    keyStatus: {
      active: k.active ?? 0,
      expiring30: k.expiring30 ?? 0,
      expiring7: k.expiring7 ?? 0,
      expiring1: k.expiring1 ?? 0,
      expired: k.expired ?? 0,
      none: k.none ?? 0,
      disabled: k.disabled ?? 0,
    },
    expiringSoon: (v.expiringSoon ?? []).map(toUserRow),
    idleKeys: (v.idleKeys ?? []).map(toUserRow),
    superAdmins: (v.superAdmins ?? []).map(toUserRow),
    perHost: (v.perHost ?? []).map((h) => ({ host: h.host ?? '', count: h.count ?? 0 })),
  };
}

export const auditApi = {
  /** A page of the filtered trail, newest first; before = the previous page's next (0: newest). */
  queryAudit: (filter: AuditFilter, before: number, limit: number): Promise<AuditPage> =>
    call(() => Audit.QueryAudit(desktop.AuditFilter.createFrom(filter), before, limit)).then((p) => ({
      records: (p.records ?? []).map(toAuditRecord),
      next: p.next ?? 0,
    })),

  /** Walks the whole chain now. */
  verifyAudit: (): Promise<IntegrityResult> => call(() => Audit.VerifyAudit()).then(toIntegrityResult),

  /** The last verification (the one at unlock, or the last Verify). */
  getAuditIntegrity: (): Promise<IntegrityResult> => call(() => Audit.GetAuditIntegrity()).then(toIntegrityResult),

  /** Writes the filtered trail to the Downloads folder. */
  exportAudit: (format: ExportFormat, filter: AuditFilter): Promise<ExportResult> =>
    call(() => Audit.ExportAudit(format, desktop.AuditFilter.createFrom(filter))).then((r) => ({
      path: r.path ?? '',
      records: r.records ?? 0,
    })),

  /** Calls onCount with the records written so far while an export runs; returns the unsubscribe. */
  onExportProgress: (onCount: (records: number) => void): (() => void) =>
    EventsOn(EXPORT_PROGRESS_EVENT, (n: unknown) => onCount(Number(n) || 0)),

  getReports: (): Promise<ReportView> => call(() => Audit.GetReports()).then(toReportView),

  /** API users whose key expires within 30 days, soonest first (ListUsers with keyStatus 'expiring'). */
  listExpiringKeys: (): Promise<UserPage> =>
    call(() =>
      Users.ListUsers(
        users.Query.createFrom({
          search: '',
          kind: 'api',
          role: '',
          keyStatus: 'expiring',
          sortBy: 'keyExpiresAt',
          desc: false,
          offset: 0,
          limit: EXPIRING_KEYS_LIMIT,
        }),
      ),
    ).then((p) => ({ total: p.total ?? 0, rows: (p.rows ?? []).map(toUserRow) })),
};

export type AuditApi = typeof auditApi;
