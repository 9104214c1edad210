// The Vault bindings: the Resources screen and the REST API, server
// certificate and SSH CLI sections of Settings. Every method rejects with an
// AppError.
import * as Vault from '../../../wailsjs/go/desktop/Vault';
import { call, list } from './call';
import type {
  AccountRequest,
  AccountView,
  APIServerInfo,
  CertificateView,
  KeyValidity,
  PasswordPolicy,
  ResourceDetail,
  ResourceRequest,
  ResourceView,
  RevealPurpose,
  ShareRequest,
  SSHServerInfo,
} from './types';

export const vaultApi = {
  listResources: (): Promise<ResourceView[]> => call(Vault.ListResources).then(list),
  getResource: (id: string): Promise<ResourceDetail> =>
    call(Vault.GetResource, id).then((d) => ({ ...d, accounts: list(d.accounts), shares: list(d.shares) })),
  createResource: (req: ResourceRequest): Promise<ResourceView> => call(Vault.CreateResource, req),
  updateResource: (id: string, req: ResourceRequest): Promise<ResourceView> => call(Vault.UpdateResource, id, req),
  deleteResource: (id: string): Promise<void> => call(Vault.DeleteResource, id),
  /** The types Resource Type suggests: the standard ones and those of the resources the operator sees, sorted. */
  resourceTypes: (): Promise<string[]> => call(Vault.ResourceTypes).then(list),

  createAccount: (resourceId: string, req: AccountRequest): Promise<AccountView> => call(Vault.CreateAccount, resourceId, req),
  updateAccount: (resourceId: string, accountId: string, req: AccountRequest): Promise<AccountView> =>
    call(Vault.UpdateAccount, resourceId, accountId, req),
  deleteAccount: (resourceId: string, accountId: string): Promise<void> => call(Vault.DeleteAccount, resourceId, accountId),
  /**
   * The password; the backend commits an audit record before answering. An
   * account may ask for a reason and a ticket id ('' for none); the backend
   * refuses without one it requires, naming the field (reason, ticketId).
   */
  revealPassword: (resourceId: string, accountId: string, purpose: RevealPurpose, reason: string, ticketId: string): Promise<string> =>
    call(Vault.RevealPassword, resourceId, accountId, purpose, reason, ticketId),
  /** The policies Generate offers, strongest (the default) first. */
  passwordPolicies: (): Promise<PasswordPolicy[]> => call(Vault.PasswordPolicies).then(list),
  /** A fresh password of the policy ('' for Strong); the backend keeps nothing. */
  generatePassword: (policy: string): Promise<string> => call(Vault.GeneratePassword, policy),

  /** Shares (or unshares) a resource (accountId '') or one account. */
  shareResource: (req: ShareRequest): Promise<void> => call(Vault.ShareResource, req),
  unshareResource: (req: ShareRequest): Promise<void> => call(Vault.UnshareResource, req),

  getAPIServer: (): Promise<APIServerInfo> => call(Vault.GetAPIServer),
  /** Saves the settings, restarts the server with them and returns its new status. */
  saveAPIServer: (listen: string, enabled: boolean, trustedProxies: string, refusalsAsPmp: boolean): Promise<APIServerInfo> =>
    call(Vault.SaveAPIServer, listen, enabled, trustedProxies, refusalsAsPmp),

  getSSHServer: (): Promise<SSHServerInfo> => call(Vault.GetSSHServer),
  /** Saves the SSH CLI settings, restarts it with them and returns its new status. */
  saveSSHServer: (listen: string, enabled: boolean): Promise<SSHServerInfo> => call(Vault.SaveSSHServer, listen, enabled),

  /** The Default key validity (days) a new API user's Expiry Date is pre-filled with. */
  getKeyValidity: (): Promise<KeyValidity> => call(Vault.GetKeyValidity),
  /** Saves the Default key validity (1–3650 days); refused with a field error on keyValidityDays. */
  saveKeyValidity: (days: number): Promise<KeyValidity> => call(Vault.SaveKeyValidity, days),

  getServerCertificate: (): Promise<CertificateView> => call(Vault.GetServerCertificate),
  /** Serves the operator's own certificate and key (PEM) from now on; the REST API restarts with it. */
  importServerCertificate: (certPEM: string, keyPEM: string): Promise<CertificateView> =>
    call(Vault.ImportServerCertificate, certPEM, keyPEM),
  /** Goes back to a fresh self-signed certificate; the REST API restarts with it. */
  useSelfSignedCertificate: (): Promise<CertificateView> => call(Vault.UseSelfSignedCertificate),
};

export type VaultApi = typeof vaultApi;
