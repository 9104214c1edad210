// Access to the mocked src/lib/wails. A test file must call
// vi.mock('<relative path>/lib/wails') itself; vitest then serves
// src/lib/wails/__mocks__/index.ts to every importer in that file.
import { api } from '../lib/wails';
import { makeRoles, makeState, makeUserRow, permissions, securityInfo } from './fixtures';
import { resetVaultMock } from './vaultMock';
import { resetAuditMock } from './auditMock';
import { resetKillSwitchMock } from './killSwitchMock';
import { resetBackupMock } from './backupMock';

export const mockApi = vi.mocked(api);

/** Resets every mock to a harmless default; call it in beforeEach. */
export function resetApiMock(): void {
  resetVaultMock();
  resetAuditMock();
  resetKillSwitchMock();
  resetBackupMock();
  mockApi.getAppState.mockReset().mockResolvedValue(makeState());
  mockApi.createFirstAdministrator.mockReset().mockResolvedValue(makeState());
  mockApi.unlock.mockReset().mockResolvedValue(makeState());
  mockApi.logIn.mockReset().mockResolvedValue(makeState());
  mockApi.logOut.mockReset().mockResolvedValue(makeState());
  mockApi.keepAlive.mockReset().mockResolvedValue(undefined);
  mockApi.getSecurityInfo.mockReset().mockResolvedValue({ ...securityInfo });
  mockApi.listUsers.mockReset().mockResolvedValue({ total: 0, rows: [] });
  mockApi.getUser.mockReset().mockImplementation(async (username) => ({
    ...makeUserRow({ username }),
    sshPublicKey: '',
    sshFingerprint: '',
    certificate: '',
    certificateSubject: '',
    certificateNotAfter: '',
    certificateFingerprint: '',
  }));
  mockApi.getUserActivity.mockReset().mockResolvedValue({ shares: [], audit: [], auditHidden: false });
  mockApi.generateAPIKey.mockReset().mockResolvedValue('hbk_GeneratedKey0000000000000000000000000000000abcdef');
  mockApi.discardAPIKey.mockReset().mockResolvedValue(undefined);
  mockApi.createAPIUser.mockReset().mockImplementation(async (req) => makeUserRow({ username: req.username }));
  mockApi.updateAPIUser.mockReset().mockImplementation(async (username) => makeUserRow({ username }));
  mockApi.regenerateAPIKey.mockReset().mockImplementation(async (username) => ({
    apiKey: 'hbk_RegeneratedKey00000000000000000000000000000zyxwv',
    user: makeUserRow({ username, keyHint: 'hbk_Regn' }),
  }));
  mockApi.createOperator.mockReset().mockImplementation(async (req) =>
    makeUserRow({ username: req.username, kind: 'operator', host: '', restEnabled: false, keyStatus: 'none', keyHint: '' }),
  );
  mockApi.updateOperator.mockReset().mockImplementation(async (username) =>
    makeUserRow({ username, kind: 'operator', host: '', restEnabled: false, keyStatus: 'none', keyHint: '' }),
  );
  mockApi.setUserDisabled.mockReset().mockImplementation(async (username, disabled) =>
    makeUserRow({ username, disabled, keyStatus: disabled ? 'disabled' : 'active' }),
  );
  mockApi.deleteUser.mockReset().mockResolvedValue(undefined);
  mockApi.listRoles.mockReset().mockResolvedValue(makeRoles());
  mockApi.listPermissions.mockReset().mockResolvedValue(permissions.map((p) => ({ ...p })));
  mockApi.createRole.mockReset().mockImplementation(async (req) => ({
    id: 'custom-new',
    name: req.name,
    builtIn: false,
    permissions: req.permissions,
    users: 0,
    mayHaveAllPasswords: req.permissions.includes('resources.manage'),
  }));
  mockApi.updateRole.mockReset().mockImplementation(async (id, req) => ({
    id,
    name: req.name,
    builtIn: false,
    permissions: req.permissions,
    users: 0,
    mayHaveAllPasswords: req.permissions.includes('resources.manage'),
  }));
  mockApi.deleteRole.mockReset().mockResolvedValue(undefined);
}
