import type { AppState, Operator, SecurityInfo } from '../lib/wails';

export const DATA_DIR = '/home/test/.config/hostbound';

export const alice: Operator = {
  username: 'alice',
  fullName: 'Alice Admin',
  email: 'alice@example.com',
  role: 'privileged_admin',
  roleName: 'Privileged Administrator',
  scope: 'all',
  superAdmin: true,
};

export function makeState(overrides: Partial<AppState> = {}): AppState {
  return {
    phase: 'login',
    keyStorage: 'keyring',
    keyringAvailable: true,
    keyringProblem: '',
    lockedReason: '',
    dataDir: DATA_DIR,
    idleTimeoutSeconds: 900,
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
};

/** The string Wails rejects a promise with when a Go method fails. */
export function backendError(code: string, message: string, field = ''): string {
  return JSON.stringify({ code, field, message });
}
