// The only module that talks to the generated Wails bindings (wailsjs).
// Tests replace it with ./__mocks__/index.ts through vi.mock.
export { api } from './api';
export type { Api } from './api';
export { AppError, ERROR_CODES, toAppError } from './errors';
export type { ErrorCode, FieldError } from './errors';
export type * from './types';
export * from './vault';
export * from './audit';
export * from './killswitch';
export * from './bulk';
export * from './backup';
