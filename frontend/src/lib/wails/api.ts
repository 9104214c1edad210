import * as Session from '../../../wailsjs/go/desktop/Session';
import { desktop } from '../../../wailsjs/go/models';
import { toAppError } from './errors';
import type { AppState, KeyStorage, Operator, Phase, SecurityInfo, SetupRequest } from './types';

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
  };
}

function toSecurityInfo(i: desktop.SecurityInfo): SecurityInfo {
  return {
    keyStorage: (i.keyStorage ?? '') as KeyStorage,
    keyStorageLabel: i.keyStorageLabel ?? '',
    dataDir: i.dataDir ?? '',
    logFile: i.logFile ?? '',
    storeBytes: i.storeBytes ?? 0,
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
};

export type Api = typeof api;
