/** The screen the backend wants the app to show. */
export type Phase = 'setup' | 'unlock' | 'locked' | 'login' | 'ready';

/** How the master key is kept: '' before the first run. */
export type KeyStorage = '' | 'keyring' | 'passphrase';

/** Access scope of an operator. */
export type Scope = 'all' | 'owned_shared';

/** The logged-in operator as the header shows them. */
export interface Operator {
  username: string;
  fullName: string;
  email: string;
  /** Role id, e.g. "privileged_admin". */
  role: string;
  /** Role name for people, e.g. "Privileged Administrator". */
  roleName: string;
  scope: Scope | string;
  superAdmin: boolean;
  /** Permission ids the operator's role grants, e.g. "users.manage". */
  permissions: string[];
}

/** What the backend tells the frontend to show. */
export interface AppState {
  phase: Phase;
  keyStorage: KeyStorage;
  keyringAvailable: boolean;
  keyringProblem: string;
  lockedReason: string;
  dataDir: string;
  operator?: Operator;
  idleTimeoutSeconds: number;
  /** The last audit chain verification (at unlock, or the last Verify). */
  auditIntegrity: IntegrityResult;
}

/** The outcome of an audit chain verification. */
export interface IntegrityResult {
  /** False while the first check after unlock still runs. */
  checked: boolean;
  ok: boolean;
  /** Records walked. */
  records: number;
  /** "All N records verified", or which record failed. */
  message: string;
  /** RFC 3339, or '' before the first check. */
  at: string;
}

/** The first-run form. */
export interface SetupRequest {
  username: string;
  fullName: string;
  email: string;
  password: string;
  confirmPassword: string;
  /** Only without a keyring; '' otherwise. */
  passphrase: string;
  /** Only without a keyring; '' otherwise. */
  confirmPassphrase: string;
}

/** What the Settings screen shows. */
export interface SecurityInfo {
  keyStorage: KeyStorage;
  keyStorageLabel: string;
  dataDir: string;
  logFile: string;
  storeBytes: number;
  /** Audit records kept (the app never deletes them). */
  auditRecords: number;
}

/** Operator: logs into the app; api: a host-bound machine identity. */
export type UserKind = 'operator' | 'api';

/** What the Users list can filter by (key status). */
export type KeyStatus = 'active' | 'expiring' | 'expired' | 'none' | 'disabled';

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

/** A page request of the Users list. */
export interface UserQuery {
  /** Matches username, host, full name, department, location. */
  search: string;
  kind: '' | UserKind;
  /** Role id, or '' for all. */
  role: string;
  keyStatus: '' | KeyStatus;
  sortBy: UserSortBy;
  desc: boolean;
  offset: number;
  /** At most 1000. */
  limit: number;
}

/** One line of the Users list. Times are RFC 3339, or '' for none. */
export interface UserRow {
  username: string;
  kind: UserKind;
  fullName: string;
  email: string;
  host: string;
  role: string;
  roleName: string;
  scope: Scope | string;
  superAdmin: boolean;
  department: string;
  location: string;
  disabled: boolean;
  restEnabled: boolean;
  keyStatus: KeyStatus;
  /** The first characters of the key, e.g. "hbk_AbCd"; never the key. */
  keyHint: string;
  keyCreatedAt: string;
  keyExpiresAt: string;
  lastUsedAt: string;
  lastUsedFrom: string;
  useCount: number;
  createdAt: string;
}

/** A user as the edit form shows it. */
export interface UserDetail extends UserRow {
  sshPublicKey: string;
  sshFingerprint: string;
  certificate: string;
  certificateSubject: string;
  certificateNotAfter: string;
  certificateFingerprint: string;
}

export interface UserPage {
  total: number;
  rows: UserRow[];
}

/** The Add / Edit API User form. */
export interface APIUserRequest {
  username: string;
  host: string;
  fullName: string;
  email: string;
  role: string;
  scope: Scope;
  sshPublicKey: string;
  certificate: string;
  restEnabled: boolean;
  /** The key Generate showed; '' keeps the current key on edit. */
  apiKey: string;
  neverExpires: boolean;
  /** RFC 3339; '' with neverExpires. */
  expiresAt: string;
  department: string;
  location: string;
}

/** The Add / Edit User form for operators. */
export interface OperatorRequest {
  username: string;
  fullName: string;
  email: string;
  /** '' on edit keeps the current password. */
  password: string;
  confirmPassword: string;
  role: string;
  scope: Scope;
  department: string;
  location: string;
}

/** A new API key, shown once, and the updated row. */
export interface RegeneratedKey {
  apiKey: string;
  user: UserRow;
}

/** A role (access level) with the number of users holding it. */
export interface RoleView {
  id: string;
  name: string;
  builtIn: boolean;
  permissions: string[];
  users: number;
  /** The All Passwords scope may go with this role. */
  mayHaveAllPasswords: boolean;
}

export interface RoleRequest {
  name: string;
  permissions: string[];
}

export interface PermissionView {
  id: string;
  label: string;
}
