// Used by vi.mock('.../lib/wails') in tests: the same exports as ../index.ts,
// with every backend call replaced by a vi.fn(). Defaults are set by
// resetApiMock() in src/test/wailsMock.ts.
import type { Api } from '../api';

export { AppError, ERROR_CODES, toAppError } from '../errors';
export type { ErrorCode, FieldError } from '../errors';
export type * from '../types';
export type { Api } from '../api';

export const api = {
  getAppState: vi.fn<Api['getAppState']>(),
  createFirstAdministrator: vi.fn<Api['createFirstAdministrator']>(),
  unlock: vi.fn<Api['unlock']>(),
  logIn: vi.fn<Api['logIn']>(),
  logOut: vi.fn<Api['logOut']>(),
  exploreSampleData: vi.fn<Api['exploreSampleData']>(),
  leaveSampleData: vi.fn<Api['leaveSampleData']>(),
  keepAlive: vi.fn<Api['keepAlive']>(),
  getSecurityInfo: vi.fn<Api['getSecurityInfo']>(),
  listUsers: vi.fn<Api['listUsers']>(),
  getUser: vi.fn<Api['getUser']>(),
  getUserActivity: vi.fn<Api['getUserActivity']>(),
  generateAPIKey: vi.fn<Api['generateAPIKey']>(),
  discardAPIKey: vi.fn<Api['discardAPIKey']>(),
  createAPIUser: vi.fn<Api['createAPIUser']>(),
  updateAPIUser: vi.fn<Api['updateAPIUser']>(),
  regenerateAPIKey: vi.fn<Api['regenerateAPIKey']>(),
  createOperator: vi.fn<Api['createOperator']>(),
  updateOperator: vi.fn<Api['updateOperator']>(),
  setUserDisabled: vi.fn<Api['setUserDisabled']>(),
  deleteUser: vi.fn<Api['deleteUser']>(),
  listRoles: vi.fn<Api['listRoles']>(),
  listPermissions: vi.fn<Api['listPermissions']>(),
  createRole: vi.fn<Api['createRole']>(),
  updateRole: vi.fn<Api['updateRole']>(),
  deleteRole: vi.fn<Api['deleteRole']>(),
} satisfies Api;
export * from './vault';
export * from './audit';
export * from './killswitch';
export * from './bulk';
export * from './backup';
