import * as Session from '../../../wailsjs/go/desktop/Session';
import * as Users from '../../../wailsjs/go/desktop/Users';
import { desktop, users } from '../../../wailsjs/go/models';
import { toAppError } from './errors';
import type {
  APIUserRequest,
  AppState,
  IntegrityResult,
  KeyStatus,
  KeyStorage,
  Operator,
  OperatorRequest,
  PermissionView,
  Phase,
  RegeneratedKey,
  RoleRequest,
  RoleView,
  SecurityInfo,
  SetupRequest,
  UserDetail,
  UserKind,
  UserPage,
  UserQuery,
  UserRow,
} from './types';

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toAppError(e);
  }
}

function toOperator(o: desktop.OperatorView | null | undefined): Operator | undefined {
  if (!o) return undefined;
  return {
    username: o.username ?? '',
    fullName: o.fullName ?? '',
    email: o.email ?? '',
    role: o.role ?? '',
    roleName: o.roleName ?? '',
    scope: o.scope ?? '',
    superAdmin: Boolean(o.superAdmin),
    permissions: o.permissions ?? [],
  };
}

function toAppState(s: desktop.AppState): AppState {
  return {
    phase: s.phase as Phase,
    keyStorage: (s.keyStorage ?? '') as KeyStorage,
    keyringAvailable: Boolean(s.keyringAvailable),
    keyringProblem: s.keyringProblem ?? '',
    lockedReason: s.lockedReason ?? '',
    dataDir: s.dataDir ?? '',
    operator: toOperator(s.operator),
    idleTimeoutSeconds: s.idleTimeoutSeconds ?? 0,
    auditIntegrity: toIntegrityResult(s.auditIntegrity),
  };
}

export function toIntegrityResult(r: desktop.IntegrityResult | null | undefined): IntegrityResult {
  return {
    checked: Boolean(r?.checked),
    ok: Boolean(r?.ok),
    records: r?.records ?? 0,
    message: r?.message ?? '',
    at: r?.at ?? '',
  };
}

function toSecurityInfo(i: desktop.SecurityInfo): SecurityInfo {
  return {
    keyStorage: (i.keyStorage ?? '') as KeyStorage,
    keyStorageLabel: i.keyStorageLabel ?? '',
    dataDir: i.dataDir ?? '',
    logFile: i.logFile ?? '',
    storeBytes: i.storeBytes ?? 0,
    auditRecords: i.auditRecords ?? 0,
  };
}

export function toUserRow(r: desktop.UserRow): UserRow {
  return {
    username: r.username ?? '',
    kind: (r.kind === 'api' ? 'api' : 'operator') as UserKind,
    fullName: r.fullName ?? '',
    email: r.email ?? '',
    host: r.host ?? '',
    role: r.role ?? '',
    roleName: r.roleName ?? '',
    scope: r.scope ?? '',
    superAdmin: Boolean(r.superAdmin),
    department: r.department ?? '',
    location: r.location ?? '',
    disabled: Boolean(r.disabled),
    restEnabled: Boolean(r.restEnabled),
    keyStatus: (r.keyStatus || 'none') as KeyStatus,
    keyHint: r.keyHint ?? '',
    keyCreatedAt: r.keyCreatedAt ?? '',
    keyExpiresAt: r.keyExpiresAt ?? '',
    lastUsedAt: r.lastUsedAt ?? '',
    lastUsedFrom: r.lastUsedFrom ?? '',
    useCount: r.useCount ?? 0,
    createdAt: r.createdAt ?? '',
  };
}

function toUserDetail(d: desktop.UserDetail): UserDetail {
  return {
    ...toUserRow(d),
    sshPublicKey: d.sshPublicKey ?? '',
    sshFingerprint: d.sshFingerprint ?? '',
    certificate: d.certificate ?? '',
    certificateSubject: d.certificateSubject ?? '',
    certificateNotAfter: d.certificateNotAfter ?? '',
    certificateFingerprint: d.certificateFingerprint ?? '',
  };
}

function toUserPage(p: desktop.UserPage): UserPage {
  return { total: p.total ?? 0, rows: (p.rows ?? []).map(toUserRow) };
}

function toRoleView(r: desktop.RoleView): RoleView {
  return {
    id: r.id ?? '',
    name: r.name ?? '',
    builtIn: Boolean(r.builtIn),
    permissions: r.permissions ?? [],
    users: r.users ?? 0,
    mayHaveAllPasswords: Boolean(r.mayHaveAllPasswords),
  };
}

/**
 * Typed wrappers over the bound Go methods. Every method rejects with an
 * AppError.
 */
export const api = {
  getAppState: (): Promise<AppState> => call(() => Session.GetAppState()).then(toAppState),

  createFirstAdministrator: (req: SetupRequest): Promise<AppState> =>
    call(() => Session.CreateFirstAdministrator(desktop.SetupRequest.createFrom(req))).then(
      toAppState,
    ),

  unlock: (passphrase: string): Promise<AppState> =>
    call(() => Session.Unlock(passphrase)).then(toAppState),

  logIn: (username: string, password: string): Promise<AppState> =>
    call(() => Session.LogIn(username, password)).then(toAppState),

  logOut: (): Promise<AppState> => call(() => Session.LogOut()).then(toAppState),

  keepAlive: (): Promise<void> => call(() => Session.KeepAlive()),

  getSecurityInfo: (): Promise<SecurityInfo> =>
    call(() => Session.GetSecurityInfo()).then(toSecurityInfo),

  listUsers: (q: UserQuery): Promise<UserPage> =>
    call(() => Users.ListUsers(users.Query.createFrom(q))).then(toUserPage),

  getUser: (username: string): Promise<UserDetail> =>
    call(() => Users.GetUser(username)).then(toUserDetail),

  /** A new key for the form; the backend holds it until Save or Cancel. */
  generateAPIKey: (): Promise<string> => call(() => Users.GenerateAPIKey()),

  /** Forgets the key Generate made (the form was cancelled). */
  discardAPIKey: (): Promise<void> => call(() => Users.DiscardAPIKey()),

  createAPIUser: (req: APIUserRequest): Promise<UserRow> =>
    call(() => Users.CreateAPIUser(desktop.APIUserRequest.createFrom(req))).then(toUserRow),

  updateAPIUser: (username: string, req: APIUserRequest): Promise<UserRow> =>
    call(() => Users.UpdateAPIUser(username, desktop.APIUserRequest.createFrom(req))).then(toUserRow),

  regenerateAPIKey: (username: string, graceMinutes = 0): Promise<RegeneratedKey> =>
    call(() => Users.RegenerateAPIKey(username, graceMinutes)).then((r) => ({
      apiKey: r.apiKey ?? '',
      user: toUserRow(r.user ?? desktop.UserRow.createFrom({})),
    })),

  createOperator: (req: OperatorRequest): Promise<UserRow> =>
    call(() => Users.CreateOperator(desktop.OperatorRequest.createFrom(req))).then(toUserRow),

  updateOperator: (username: string, req: OperatorRequest): Promise<UserRow> =>
    call(() => Users.UpdateOperator(username, desktop.OperatorRequest.createFrom(req))).then(toUserRow),

  setUserDisabled: (username: string, disabled: boolean): Promise<UserRow> =>
    call(() => Users.SetUserDisabled(username, disabled)).then(toUserRow),

  deleteUser: (username: string): Promise<void> => call(() => Users.DeleteUser(username)),

  listRoles: (): Promise<RoleView[]> => call(() => Users.ListRoles()).then((rs) => (rs ?? []).map(toRoleView)),

  listPermissions: (): Promise<PermissionView[]> =>
    call(() => Users.ListPermissions()).then((ps) =>
      (ps ?? []).map((p) => ({ id: p.id ?? '', label: p.label ?? p.id ?? '' })),
    ),

  createRole: (req: RoleRequest): Promise<RoleView> =>
    call(() => Users.CreateRole(desktop.RoleRequest.createFrom(req))).then(toRoleView),

  updateRole: (id: string, req: RoleRequest): Promise<RoleView> =>
    call(() => Users.UpdateRole(id, desktop.RoleRequest.createFrom(req))).then(toRoleView),

  deleteRole: (id: string): Promise<void> => call(() => Users.DeleteRole(id)),
};

export type Api = typeof api;
