// Access to the mocked vault wrappers of src/lib/wails (see wailsMock.ts) and
// fixtures for the Resources screen and the REST API, server certificate and
// SSH CLI settings.
import {
  vaultApi,
  type AccountRequest,
  type AccountView,
  type APIServerInfo,
  type CertificateView,
  type PasswordPolicy,
  type ResourceDetail,
  type ResourceView,
  type SSHServerInfo,
} from '../lib/wails';

export const mockVault = vi.mocked(vaultApi);

export function makeResource(overrides: Partial<ResourceView> = {}): ResourceView {
  return {
    id: '170741',
    name: 'db01',
    dnsName: 'db01.example.com',
    type: 'Linux',
    description: 'Primary database',
    department: 'Operations',
    location: 'Berlin',
    url: 'https://db01.example.com',
    owner: 'alice',
    accounts: 1,
    ...overrides,
  };
}

export function makeAccount(overrides: Partial<AccountView> = {}): AccountView {
  return {
    id: '170742',
    name: 'root',
    notes: 'break glass',
    reasonRequired: false,
    ticketRequired: false,
    ticketMandatory: false,
    updatedAt: '2026-02-03T10:04:05Z',
    ...overrides,
  };
}

export function makeDetail(overrides: Partial<ResourceDetail> = {}): ResourceDetail {
  return { resource: makeResource(), accounts: [makeAccount()], shares: [], ...overrides };
}

export const apiServerInfo: APIServerInfo = {
  running: true,
  address: '127.0.0.1:7272',
  url: 'https://127.0.0.1:7272/restapi/json/v1',
  fingerprint: '3F:A1:09:7C:5E:22:B8:4D:91:0A:6B:33:C7:E8:12:F0:45:9D:AB:CD:EF:01:23:45:67:89:0A:BC:DE:F0:12:34',
  error: '',
  listen: '127.0.0.1:7272',
  enabled: true,
  trustedProxies: '',
  refusalsAsPmp: false,
};

export const sshServerInfo: SSHServerInfo = {
  running: true,
  address: '127.0.0.1:5522',
  fingerprint: 'SHA256:pXq0c2bK9vF1n7dZL4wYt6mR3sJ8hE5aU0iO2lN9kQc',
  error: '',
  listen: '127.0.0.1:5522',
  enabled: true,
};

/** The self-signed certificate Hostbound makes; its fingerprint is the REST API's. */
export const selfSignedCertificate: CertificateView = {
  fingerprint: apiServerInfo.fingerprint,
  subject: 'CN=Hostbound',
  notAfter: '2027-03-01T12:00:00Z',
  imported: false,
};

/** An operator's own certificate, as ImportServerCertificate answers for it. */
export const importedCertificate: CertificateView = {
  fingerprint: '9C:2E:71:B0:4A:D3:58:16:E2:0F:C9:87:3B:64:A5:1D:F8:02:6E:B9:47:C0:13:8A:5F:D6:29:E4:70:BB:0C:93',
  subject: 'CN=vault.example.com,O=Example Corp',
  notAfter: '2026-11-30T23:59:59Z',
  imported: true,
};

/** The resource types the backend suggests (standard ones and those in use). */
export const resourceTypes: string[] = ['File Store', 'Kafka Cluster', 'Linux', 'PostgreSQL', 'Windows'];

/** The password policies, as PasswordPolicies answers. */
export const passwordPolicies: PasswordPolicy[] = [
  { name: 'Strong', length: 20, description: '20 characters: lower, upper, digits and symbols, at least 2 of each' },
  { name: 'Medium', length: 14, description: '14 characters: lower, upper and digits, at least 1 of each' },
  { name: 'Low', length: 10, description: '10 characters: lower and digits, at least 1 of each' },
];

/** What GeneratePassword answers by default. */
export const generatedPassword = 'Gen3rated-Pa55word!x';

/** What an account asks for on retrieval, as the backend stores it from the form. */
function flagsOf(req: AccountRequest): Pick<AccountView, 'reasonRequired' | 'ticketRequired' | 'ticketMandatory'> {
  return {
    reasonRequired: req.reasonRequired,
    ticketRequired: req.ticketRequired || req.ticketMandatory,
    ticketMandatory: req.ticketMandatory,
  };
}

/** Resets every vault mock to a harmless default; resetApiMock() calls it. */
export function resetVaultMock(): void {
  mockVault.listResources.mockReset().mockResolvedValue([]);
  mockVault.getResource.mockReset().mockImplementation(async (id) => makeDetail({ resource: makeResource({ id }) }));
  mockVault.createResource.mockReset().mockImplementation(async (req) => makeResource({ ...req, id: '200001', accounts: 0 }));
  mockVault.updateResource.mockReset().mockImplementation(async (id, req) => makeResource({ ...req, id }));
  mockVault.deleteResource.mockReset().mockResolvedValue(undefined);
  mockVault.resourceTypes.mockReset().mockResolvedValue([...resourceTypes]);
  mockVault.createAccount.mockReset().mockImplementation(async (_rid, req) =>
    makeAccount({ ...flagsOf(req), id: '200002', name: req.accountName, notes: req.notes }),
  );
  mockVault.updateAccount.mockReset().mockImplementation(async (_rid, aid, req) =>
    makeAccount({ ...flagsOf(req), id: aid, name: req.accountName, notes: req.notes }),
  );
  mockVault.deleteAccount.mockReset().mockResolvedValue(undefined);
  mockVault.revealPassword.mockReset().mockResolvedValue('S3cret!pass');
  mockVault.passwordPolicies.mockReset().mockResolvedValue(passwordPolicies.map((p) => ({ ...p })));
  mockVault.generatePassword.mockReset().mockResolvedValue(generatedPassword);
  mockVault.shareResource.mockReset().mockResolvedValue(undefined);
  mockVault.unshareResource.mockReset().mockResolvedValue(undefined);
  mockVault.getAPIServer.mockReset().mockResolvedValue({ ...apiServerInfo });
  mockVault.saveAPIServer.mockReset().mockImplementation(async (listen, enabled, trustedProxies, refusalsAsPmp) => ({
    ...apiServerInfo,
    listen,
    enabled,
    trustedProxies,
    refusalsAsPmp,
    address: listen,
    running: enabled,
    url: enabled ? `https://${listen}/restapi/json/v1` : '',
  }));
  mockVault.getKeyValidity.mockReset().mockResolvedValue({ days: 90, min: 1, max: 3650 });
  mockVault.saveKeyValidity.mockReset().mockImplementation(async (days) => ({ days, min: 1, max: 3650 }));
  mockVault.getSSHServer.mockReset().mockResolvedValue({ ...sshServerInfo });
  mockVault.saveSSHServer.mockReset().mockImplementation(async (listen, enabled) => ({
    ...sshServerInfo,
    listen,
    enabled,
    address: listen,
    running: enabled,
  }));
  mockVault.getServerCertificate.mockReset().mockResolvedValue({ ...selfSignedCertificate });
  mockVault.importServerCertificate.mockReset().mockResolvedValue({ ...importedCertificate });
  mockVault.useSelfSignedCertificate.mockReset().mockResolvedValue({ ...selfSignedCertificate });
}
