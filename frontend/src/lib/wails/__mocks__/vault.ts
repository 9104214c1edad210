// The mocked ../vault.ts, re-exported by ./index.ts. Defaults are set by
// resetVaultMock() in src/test/vaultMock.ts.
import type { VaultApi } from '../vault';

export type * from '../vault';

export const vaultApi = {
  listResources: vi.fn<VaultApi['listResources']>(),
  getResource: vi.fn<VaultApi['getResource']>(),
  createResource: vi.fn<VaultApi['createResource']>(),
  updateResource: vi.fn<VaultApi['updateResource']>(),
  deleteResource: vi.fn<VaultApi['deleteResource']>(),
  resourceTypes: vi.fn<VaultApi['resourceTypes']>(),
  createAccount: vi.fn<VaultApi['createAccount']>(),
  updateAccount: vi.fn<VaultApi['updateAccount']>(),
  deleteAccount: vi.fn<VaultApi['deleteAccount']>(),
  revealPassword: vi.fn<VaultApi['revealPassword']>(),
  passwordPolicies: vi.fn<VaultApi['passwordPolicies']>(),
  generatePassword: vi.fn<VaultApi['generatePassword']>(),
  shareResource: vi.fn<VaultApi['shareResource']>(),
  unshareResource: vi.fn<VaultApi['unshareResource']>(),
  getAPIServer: vi.fn<VaultApi['getAPIServer']>(),
  saveAPIServer: vi.fn<VaultApi['saveAPIServer']>(),
  getSSHServer: vi.fn<VaultApi['getSSHServer']>(),
  saveSSHServer: vi.fn<VaultApi['saveSSHServer']>(),
  getKeyValidity: vi.fn<VaultApi['getKeyValidity']>(),
  saveKeyValidity: vi.fn<VaultApi['saveKeyValidity']>(),
  getServerCertificate: vi.fn<VaultApi['getServerCertificate']>(),
  importServerCertificate: vi.fn<VaultApi['importServerCertificate']>(),
  useSelfSignedCertificate: vi.fn<VaultApi['useSelfSignedCertificate']>(),
} satisfies VaultApi;
