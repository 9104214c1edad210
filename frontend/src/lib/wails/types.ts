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
}
