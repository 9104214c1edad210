// Used by vi.mock('.../lib/wails') in tests: the same exports as ../index.ts,
// with every backend call replaced by a vi.fn(). Defaults are set by
// resetApiMock() in src/test/wailsMock.ts.
import type { Api } from '../api';

export { AppError, ERROR_CODES, toAppError } from '../errors';
export type { ErrorCode } from '../errors';
export type * from '../types';
export type { Api } from '../api';

export const api = {
  getAppState: vi.fn<Api['getAppState']>(),
  createFirstAdministrator: vi.fn<Api['createFirstAdministrator']>(),
  unlock: vi.fn<Api['unlock']>(),
  logIn: vi.fn<Api['logIn']>(),
  logOut: vi.fn<Api['logOut']>(),
  keepAlive: vi.fn<Api['keepAlive']>(),
  getSecurityInfo: vi.fn<Api['getSecurityInfo']>(),
} satisfies Api;
