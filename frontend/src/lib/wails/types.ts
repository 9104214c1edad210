// The data the bound Go methods take and return, as the UI names it. Every
// DTO is an alias of the class Wails generates from the Go struct
// (wailsjs/go/models.ts), so a field Go adds, renames or retypes shows up
// as a type error where the UI uses it, not as a silent undefined.
import type { desktop, users } from '../../../wailsjs/go/models';

/**
 * The fields of a generated model class, at every depth, without the
 * convertValues method that Wails gives a class with nested classes. The
 * bindings answer with plain JSON objects, not class instances, and tests
 * write answers as object literals: both have this shape and neither has
 * the method. (Omit<X, 'convertValues'> would strip only the top level.)
 */
export type Data<T> = T extends readonly (infer E)[]
  ? Data<E>[]
  : T extends object
    ? { [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: Data<T[K]> }
    : T;

/**
 * Model T with some fields narrowed to a union the UI relies on (Go types
 * them as string or map). Each narrowed type must still fit the generated
 * field, so a field Go drops or retypes is a type error here. The Go side
 * sends only these values; src/lib/wails narrows answers on the way in.
 */
type Narrow<T, N extends { [K in keyof N]: K extends keyof T ? T[K] : never }> = Omit<T, keyof N> & N;

// Unions the UI switches on or keys tables by. Go types these as string.

/** The screen the backend wants the app to show; App's switch handles each, its default any other. */
export type Phase = 'setup' | 'unlock' | 'locked' | 'login' | 'ready';

/** Access scope of a user (form state; Go takes a string). */
export type Scope = 'all' | 'owned_shared';

/** Operator: logs into the app; api: a host-bound machine identity. */
export type UserKind = 'operator' | 'api';

/** Key status of a user; KEY_STATUS_LABELS and the filter are keyed by it. */
export type KeyStatus = 'active' | 'expiring' | 'expired' | 'none' | 'disabled' | 'revoked';

export type UserSortBy =
  | 'username'
  | 'fullName'
  | 'host'
  | 'role'
  | 'kind'
  | 'createdAt'
  | 'keyExpiresAt'
  | 'lastUsedAt'
  | 'department'
  | 'location';

/** Share permission: view the password, or also change it. */
export type SharePermission = 'view' | 'modify';

/** Why a password is fetched; the backend audits each as its own operation. */
export type RevealPurpose = 'reveal' | 'copy';

/** An audit filter's result; '' for any. */
export type AuditResult = '' | 'success' | 'failure';

export type ExportFormat = 'csv' | 'jsonl';

/** API users by key status: Go sends a map that leaves out the zero counts; the seam fills them in. */
export type KeyStatusCounts = Record<
  'active' | 'expiring30' | 'expiring7' | 'expiring1' | 'expired' | 'none' | 'disabled' | 'revoked',
  number
>;

// Session (times are RFC 3339 strings, or '' for none, everywhere).

export type Operator = Data<desktop.OperatorView>;
export type IntegrityResult = Data<desktop.IntegrityResult>;
export type AppState = Narrow<Data<desktop.AppState>, { phase: Phase }>;
export type SetupRequest = Data<desktop.SetupRequest>;
export type SecurityInfo = Data<desktop.SecurityInfo>;

// Users and roles.

export type UserQuery = Narrow<Data<users.Query>, { kind: '' | UserKind; keyStatus: '' | KeyStatus; sortBy: UserSortBy }>;
export type UserRow = Narrow<Data<desktop.UserRow>, { keyStatus: KeyStatus }>;
export type UserDetail = Narrow<Data<desktop.UserDetail>, { keyStatus: KeyStatus }>;
export type UserPage = Narrow<Data<desktop.UserPage>, { rows: UserRow[] }>;
export type APIUserRequest = Data<desktop.APIUserRequest>;
export type OperatorRequest = Data<desktop.OperatorRequest>;
export type RegeneratedKey = Narrow<Data<desktop.RegeneratedKey>, { user: UserRow }>;
export type RoleView = Data<desktop.RoleView>;
export type RoleRequest = Data<desktop.RoleRequest>;
export type PermissionView = Data<desktop.PermissionView>;
/** A share the user holds: a whole resource (accountId '') or one account. */
export type UserShare = Narrow<Data<desktop.UserShare>, { permission: SharePermission }>;
/** A recent audit record by or about the user (the detail drawer's). */
export type UserAuditRecord = Data<desktop.UserAuditRecord>;
/** The detail drawer's shares and recent audit; auditHidden: the operator may not view the audit trail. */
export type UserActivity = Narrow<Data<desktop.UserActivity>, { shares: UserShare[] }>;

// Resources and the REST API (ids are decimal strings, as PMP clients see them).

export type ResourceView = Data<desktop.ResourceView>;
export type AccountView = Data<desktop.AccountView>;
export type ShareView = Data<desktop.ShareView>;
export type ResourceDetail = Data<desktop.ResourceDetail>;
export type ResourceRequest = Data<desktop.ResourceRequest>;
export type AccountRequest = Data<desktop.AccountRequest>;
export type ShareRequest = Data<desktop.ShareRequest>;
/** A password policy Generate offers: name (Strong, Medium, Low), length and a one-line description. */
export type PasswordPolicy = Data<desktop.PolicyView>;
export type APIServerInfo = Data<desktop.APIServerInfo>;
export type SSHServerInfo = Data<desktop.SSHServerInfo>;
/** The Default key validity: days, with the allowed range. */
export type KeyValidity = Data<desktop.KeyValidity>;
/** The REST API's TLS certificate; imported: the operator's own, else self-signed. */
export type CertificateView = Data<desktop.CertificateView>;

// Audit and reports.

export type AuditFilter = Narrow<Data<desktop.AuditFilter>, { result: AuditResult }>;
export type AuditRecord = Data<desktop.AuditRecord>;
export type AuditPage = Data<desktop.AuditPage>;
export type ExportResult = Data<desktop.ExportResult>;
export type HostCount = Data<desktop.HostCount>;
export type ReportView = Narrow<
  Data<desktop.ReportView>,
  { keyStatus: KeyStatusCounts; expiringSoon: UserRow[]; idleKeys: UserRow[]; superAdmins: UserRow[] }
>;

/** One hour or day of the Home chart (start: RFC 3339, UTC). */
export interface ActivityBucket {
  start: string;
  calls: number;
  refusals: number;
}

/** A refused request on Home's list of the last refusals. */
export interface RecentRefusal {
  time: string;
  source: string;
  actor: string;
  operation: string;
  target: string;
  reason: string;
}

/** The Home screen; a part the operator may not see is null. */
export interface DashboardView {
  keys: Data<desktop.DashboardKeys> | null;
  activity: { hours: ActivityBucket[]; days: ActivityBucket[]; refusals: RecentRefusal[] } | null;
  api: Data<desktop.ServiceStatus>;
  ssh: Data<desktop.ServiceStatus>;
  gettingStarted: Data<desktop.GettingStarted> | null;
}
