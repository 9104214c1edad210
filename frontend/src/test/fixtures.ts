import type { AppState, Operator, PermissionView, RoleView, SecurityInfo, UserRow } from '../lib/wails';

export const DATA_DIR = '/home/test/.config/hostbound';

export const alice: Operator = {
  username: 'alice',
  fullName: 'Alice Admin',
  email: 'alice@example.com',
  role: 'privileged_admin',
  roleName: 'Privileged Administrator',
  scope: 'all',
  superAdmin: true,
  permissions: [
    'users.manage',
    'apiusers.manage',
    'roles.manage',
    'resources.create',
    'resources.manage',
    'passwords.view',
    'passwords.modify',
    'passwords.share',
    'audit.view',
    'reports.view',
    'settings.manage',
    'backup.run',
  ],
};

/** An Administrator without the All Passwords scope. */
export const bob: Operator = {
  username: 'bob',
  fullName: 'Bob Admin',
  email: 'bob@example.com',
  role: 'admin',
  roleName: 'Administrator',
  scope: 'owned_shared',
  superAdmin: false,
  permissions: [
    'users.manage',
    'apiusers.manage',
    'roles.manage',
    'resources.create',
    'resources.manage',
    'passwords.view',
    'passwords.modify',
    'passwords.share',
    'audit.view',
    'reports.view',
    'backup.run',
  ],
};

/** A Password Administrator: may not manage users or roles. */
export const pam: Operator = {
  username: 'pam',
  fullName: 'Pam Passwords',
  email: '',
  role: 'password_admin',
  roleName: 'Password Administrator',
  scope: 'owned_shared',
  superAdmin: false,
  permissions: ['resources.create', 'resources.manage', 'passwords.view', 'passwords.modify', 'passwords.share', 'audit.view', 'reports.view'],
};

export function makeState(overrides: Partial<AppState> = {}): AppState {
  return {
    phase: 'login',
    keyStorage: 'keyring',
    keyringAvailable: true,
    keyringProblem: '',
    os: 'linux',
    lockedReason: '',
    dataDir: DATA_DIR,
    idleTimeoutSeconds: 900,
    version: '0.1.0+test',
    auditIntegrity: { checked: true, ok: true, records: 0, message: 'All 0 records verified', at: '' },
    sample: false,
    sampleExists: false,
    ...overrides,
  };
}

export function readyState(operator: Operator = alice, overrides: Partial<AppState> = {}): AppState {
  return makeState({ phase: 'ready', operator, ...overrides });
}

export const securityInfo: SecurityInfo = {
  keyStorage: 'keyring',
  keyStorageLabel: 'OS keyring (Secret Service)',
  dataDir: DATA_DIR,
  logFile: `${DATA_DIR}/hostbound.log`,
  storeBytes: 1_572_864,
  auditRecords: 12_345,
};

/** The string Wails rejects a promise with when a Go method fails. */
export function backendError(code: string, message: string, field = ''): string {
  return JSON.stringify({ code, field, message });
}

export const permissions: PermissionView[] = [
  { id: 'users.manage', label: 'Manage users' },
  { id: 'apiusers.manage', label: 'Manage API users' },
  { id: 'roles.manage', label: 'Manage roles' },
  { id: 'resources.create', label: 'Create resources' },
  { id: 'resources.manage', label: 'Manage resources' },
  { id: 'passwords.view', label: 'View passwords' },
  { id: 'passwords.modify', label: 'Modify passwords' },
  { id: 'passwords.share', label: 'Share passwords' },
  { id: 'audit.view', label: 'View audit trail' },
  { id: 'reports.view', label: 'View reports' },
  { id: 'settings.manage', label: 'Manage security settings' },
  { id: 'backup.run', label: 'Run backups' },
];

export function makeRoles(): RoleView[] {
  return [
    { id: 'privileged_admin', name: 'Privileged Administrator', builtIn: true, permissions: permissions.map((p) => p.id), users: 1, mayHaveAllPasswords: true },
    { id: 'admin', name: 'Administrator', builtIn: true, permissions: alice.permissions.filter((p) => p !== 'settings.manage'), users: 1, mayHaveAllPasswords: true },
    { id: 'password_admin', name: 'Password Administrator', builtIn: true, permissions: pam.permissions, users: 0, mayHaveAllPasswords: true },
    { id: 'password_auditor', name: 'Password Auditor', builtIn: true, permissions: ['passwords.view', 'audit.view', 'reports.view'], users: 0, mayHaveAllPasswords: false },
    { id: 'password_user', name: 'Password User', builtIn: true, permissions: ['passwords.view', 'passwords.modify'], users: 2, mayHaveAllPasswords: false },
    { id: 'custom-1', name: 'Backup Operators', builtIn: false, permissions: ['passwords.view', 'backup.run'], users: 0, mayHaveAllPasswords: false },
  ];
}

/** A row of the Users list with sensible defaults. */
export function makeUserRow(overrides: Partial<UserRow> = {}): UserRow {
  return {
    username: 'backup@web01.example.com',
    kind: 'api',
    fullName: 'Nightly Backup',
    email: '',
    host: 'web01.example.com',
    role: 'password_user',
    roleName: 'Password User',
    scope: 'owned_shared',
    superAdmin: false,
    department: 'Operations',
    location: 'Berlin',
    disabled: false,
    restEnabled: true,
    keyStatus: 'active',
    keyHint: 'hbk_AbCd',
    keyCreatedAt: '2026-01-01T00:00:00Z',
    keyExpiresAt: '',
    lastUsedAt: '',
    lastUsedFrom: '',
    useCount: 0,
    createdAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

/** The string Wails rejects with for a form with several field errors. */
export function backendFieldErrors(fields: { field: string; message: string }[], code = 'invalid'): string {
  return JSON.stringify({ code, field: fields[0]?.field ?? '', message: fields[0]?.message ?? '', fields });
}
