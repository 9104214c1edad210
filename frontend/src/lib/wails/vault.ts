// Typed wrappers over the bound Vault methods: the Resources screen and the
// REST API section of Settings. Ids are decimal strings, as PMP clients see
// them. Every method rejects with an AppError.
import * as Vault from '../../../wailsjs/go/desktop/Vault';
import { desktop } from '../../../wailsjs/go/models';
import { toAppError } from './errors';

/** Share permission: view the password, or also change it. */
export type SharePermission = 'view' | 'modify';

/** Why a password is fetched; the backend audits each as its own operation. */
export type RevealPurpose = 'reveal' | 'copy';

/** One resource of the Resources list. */
export interface ResourceView {
  id: string;
  name: string;
  dnsName: string;
  type: string;
  description: string;
  department: string;
  location: string;
  url: string;
  /** Username of the owner. */
  owner: string;
  /** Number of accounts the operator can see. */
  accounts: number;
}

/** An account without its password. updatedAt is RFC 3339, or ''. */
export interface AccountView {
  id: string;
  name: string;
  notes: string;
  updatedAt: string;
}

/** One share; accountId '' shares the whole resource. */
export interface ShareView {
  grantee: string;
  accountId: string;
  permission: SharePermission;
}

export interface ResourceDetail {
  resource: ResourceView;
  accounts: AccountView[];
  shares: ShareView[];
}

/** The Add / Edit Resource form. */
export interface ResourceRequest {
  name: string;
  dnsName: string;
  type: string;
  description: string;
  department: string;
  location: string;
  url: string;
}

/** The Add / Edit Account form; an empty password keeps the old one on edit. */
export interface AccountRequest {
  accountName: string;
  password: string;
  notes: string;
}

/** Shares (or unshares) a resource (accountId '') or one account. */
export interface ShareRequest {
  resourceId: string;
  accountId: string;
  grantee: string;
  permission: SharePermission;
}

/** The REST API's status and settings. */
export interface APIServerInfo {
  running: boolean;
  /** Where it listens, or wanted to. */
  address: string;
  /** Base URL for clients. */
  url: string;
  /** SHA-256 of the server certificate. */
  fingerprint: string;
  /** Why it is not running, or ''. */
  error: string;
  listen: string;
  enabled: boolean;
  trustedProxies: string;
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toAppError(e);
  }
}

function toResource(r: desktop.ResourceView): ResourceView {
  return {
    id: r.id ?? '',
    name: r.name ?? '',
    dnsName: r.dnsName ?? '',
    type: r.type ?? '',
    description: r.description ?? '',
    department: r.department ?? '',
    location: r.location ?? '',
    url: r.url ?? '',
    owner: r.owner ?? '',
    accounts: r.accounts ?? 0,
  };
}

function toAccount(a: desktop.AccountView): AccountView {
  return { id: a.id ?? '', name: a.name ?? '', notes: a.notes ?? '', updatedAt: a.updatedAt ?? '' };
}

function toDetail(d: desktop.ResourceDetail): ResourceDetail {
  return {
    resource: toResource(d.resource ?? desktop.ResourceView.createFrom({})),
    accounts: (d.accounts ?? []).map(toAccount),
    shares: (d.shares ?? []).map((s) => ({
      grantee: s.grantee ?? '',
      accountId: s.accountId ?? '',
      permission: s.permission === 'modify' ? 'modify' : 'view',
    })),
  };
}

function toAPIServerInfo(i: desktop.APIServerInfo): APIServerInfo {
  return {
    running: Boolean(i.running),
    address: i.address ?? '',
    url: i.url ?? '',
    fingerprint: i.fingerprint ?? '',
    error: i.error ?? '',
    listen: i.listen ?? '',
    enabled: Boolean(i.enabled),
    trustedProxies: i.trustedProxies ?? '',
  };
}

export const vaultApi = {
  listResources: (): Promise<ResourceView[]> =>
    call(() => Vault.ListResources()).then((rs) => (rs ?? []).map(toResource)),

  getResource: (id: string): Promise<ResourceDetail> => call(() => Vault.GetResource(id)).then(toDetail),

  createResource: (req: ResourceRequest): Promise<ResourceView> =>
    call(() => Vault.CreateResource(desktop.ResourceRequest.createFrom(req))).then(toResource),

  updateResource: (id: string, req: ResourceRequest): Promise<ResourceView> =>
    call(() => Vault.UpdateResource(id, desktop.ResourceRequest.createFrom(req))).then(toResource),

  deleteResource: (id: string): Promise<void> => call(() => Vault.DeleteResource(id)),

  createAccount: (resourceId: string, req: AccountRequest): Promise<AccountView> =>
    call(() => Vault.CreateAccount(resourceId, desktop.AccountRequest.createFrom(req))).then(toAccount),

  updateAccount: (resourceId: string, accountId: string, req: AccountRequest): Promise<AccountView> =>
    call(() => Vault.UpdateAccount(resourceId, accountId, desktop.AccountRequest.createFrom(req))).then(toAccount),

  deleteAccount: (resourceId: string, accountId: string): Promise<void> =>
    call(() => Vault.DeleteAccount(resourceId, accountId)),

  /** The password; the backend commits an audit record before answering. */
  revealPassword: (resourceId: string, accountId: string, purpose: RevealPurpose): Promise<string> =>
    call(() => Vault.RevealPassword(resourceId, accountId, purpose)),

  shareResource: (req: ShareRequest): Promise<void> =>
    call(() => Vault.ShareResource(desktop.ShareRequest.createFrom(req))),

  unshareResource: (req: ShareRequest): Promise<void> =>
    call(() => Vault.UnshareResource(desktop.ShareRequest.createFrom(req))),

  getAPIServer: (): Promise<APIServerInfo> => call(() => Vault.GetAPIServer()).then(toAPIServerInfo),

  /** Saves the settings, restarts the server with them and returns its new status. */
  saveAPIServer: (listen: string, enabled: boolean, trustedProxies: string): Promise<APIServerInfo> =>
    call(() => Vault.SaveAPIServer(listen, enabled, trustedProxies)).then(toAPIServerInfo),
};

export type VaultApi = typeof vaultApi;
