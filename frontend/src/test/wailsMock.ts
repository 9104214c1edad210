// Access to the mocked src/lib/wails. A test file must call
// vi.mock('<relative path>/lib/wails') itself; vitest then serves
// src/lib/wails/__mocks__/index.ts to every importer in that file.
import { api } from '../lib/wails';
import { makeState, securityInfo } from './fixtures';

export const mockApi = vi.mocked(api);

/** Resets every mock to a harmless default; call it in beforeEach. */
export function resetApiMock(): void {
  mockApi.getAppState.mockReset().mockResolvedValue(makeState());
  mockApi.createFirstAdministrator.mockReset().mockResolvedValue(makeState());
  mockApi.unlock.mockReset().mockResolvedValue(makeState());
  mockApi.logIn.mockReset().mockResolvedValue(makeState());
  mockApi.logOut.mockReset().mockResolvedValue(makeState());
  mockApi.keepAlive.mockReset().mockResolvedValue(undefined);
  mockApi.getSecurityInfo.mockReset().mockResolvedValue({ ...securityInfo });
}
