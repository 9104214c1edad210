// The Session and Users bindings. Every method rejects with an AppError.
import * as Session from '../../../wailsjs/go/desktop/Session';
import * as Users from '../../../wailsjs/go/desktop/Users';
import type { desktop } from '../../../wailsjs/go/models';
import { call, list } from './call';
import type {
  APIUserRequest,
  AppState,
  OperatorRequest,
  PermissionView,
  RegeneratedKey,
  RoleRequest,
  RoleView,
  SecurityInfo,
  SetupRequest,
  UserActivity,
  UserDetail,
  UserShare,
  UserPage,
  UserQuery,
  UserRow,
} from './types';

// Answers on the way in: lists Go may send as null become [], and the
// fields types.ts narrows are cast (Go sends only those values).

function appState(s: desktop.AppState): AppState {
  const operator = s.operator && { ...s.operator, permissions: list(s.operator.permissions) };
  return { ...s, phase: s.phase as AppState['phase'], operator };
}

export const userRow = (r: desktop.UserRow) => r as UserRow;

export const userPage = (p: desktop.UserPage): UserPage => ({ ...p, rows: list(p.rows).map(userRow) });

const userActivity = (a: desktop.UserActivity): UserActivity => ({
  ...a,
  shares: list(a.shares).map((s) => s as UserShare),
  audit: list(a.audit),
});

const roleView = (r: desktop.RoleView): RoleView => ({ ...r, permissions: list(r.permissions) });

export const api = {
  getAppState: (): Promise<AppState> => call(Session.GetAppState).then(appState),
  createFirstAdministrator: (req: SetupRequest): Promise<AppState> =>
    call(Session.CreateFirstAdministrator, req).then(appState),
  unlock: (passphrase: string): Promise<AppState> => call(Session.Unlock, passphrase).then(appState),
  logIn: (username: string, password: string): Promise<AppState> => call(Session.LogIn, username, password).then(appState),
  logOut: (): Promise<AppState> => call(Session.LogOut).then(appState),
  /** Opens the sample data (made on first use), logged in as its administrator. */
  exploreSampleData: (): Promise<AppState> => call(Session.ExploreSampleData).then(appState),
  /** Closes the sample data, back to the first-run screen; discard deletes it. */
  leaveSampleData: (discard: boolean): Promise<AppState> => call(Session.LeaveSampleData, discard).then(appState),
  keepAlive: (): Promise<void> => call(Session.KeepAlive),
  getSecurityInfo: (): Promise<SecurityInfo> => call(Session.GetSecurityInfo),

  listUsers: (q: UserQuery): Promise<UserPage> => call(Users.ListUsers, q).then(userPage),
  getUser: (username: string): Promise<UserDetail> => call(Users.GetUser, username).then((d) => d as UserDetail),
  /** The user's shares and last audit records (none, auditHidden, without audit view). */
  getUserActivity: (username: string): Promise<UserActivity> =>
    call(Users.GetUserActivity, username).then(userActivity),
  /** A new key for the form; the backend holds it until Save or Cancel. */
  generateAPIKey: (): Promise<string> => call(Users.GenerateAPIKey),
  /** Forgets the key Generate made (the form was cancelled). */
  discardAPIKey: (): Promise<void> => call(Users.DiscardAPIKey),
  createAPIUser: (req: APIUserRequest): Promise<UserRow> => call(Users.CreateAPIUser, req).then(userRow),
  updateAPIUser: (username: string, req: APIUserRequest): Promise<UserRow> =>
    call(Users.UpdateAPIUser, username, req).then(userRow),
  /** A new key, shown once, and the updated row; the old key works graceMinutes longer. */
  regenerateAPIKey: (username: string, graceMinutes = 0): Promise<RegeneratedKey> =>
    call(Users.RegenerateAPIKey, username, graceMinutes).then((r) => ({ ...r, user: userRow(r.user) })),
  createOperator: (req: OperatorRequest): Promise<UserRow> => call(Users.CreateOperator, req).then(userRow),
  updateOperator: (username: string, req: OperatorRequest): Promise<UserRow> =>
    call(Users.UpdateOperator, username, req).then(userRow),
  setUserDisabled: (username: string, disabled: boolean): Promise<UserRow> =>
    call(Users.SetUserDisabled, username, disabled).then(userRow),
  deleteUser: (username: string): Promise<void> => call(Users.DeleteUser, username),

  listRoles: (): Promise<RoleView[]> => call(Users.ListRoles).then((rs) => list(rs).map(roleView)),
  listPermissions: (): Promise<PermissionView[]> => call(Users.ListPermissions).then(list),
  createRole: (req: RoleRequest): Promise<RoleView> => call(Users.CreateRole, req).then(roleView),
  updateRole: (id: string, req: RoleRequest): Promise<RoleView> => call(Users.UpdateRole, id, req).then(roleView),
  deleteRole: (id: string): Promise<void> => call(Users.DeleteRole, id),
};

export type Api = typeof api;
