// The wrappers over the real generated bindings (wailsjs/go/desktop/*.js),
// with window.go standing in for the Go side as Wails injects it.
import { api } from '../api';
import { auditApi } from '../audit';
import { AppError } from '../errors';
import { vaultApi } from '../vault';

type Methods = Record<string, ReturnType<typeof vi.fn>>;

function goSide(bound: { Session?: Methods; Users?: Methods; Vault?: Methods; Audit?: Methods }) {
  Object.defineProperty(window, 'go', { value: { desktop: bound }, configurable: true, writable: true });
}

afterEach(() => {
  Reflect.deleteProperty(window, 'go');
});

describe('call', () => {
  it('turns the JSON string a Go method rejects with into an AppError with its fields', async () => {
    const fields = [
      { field: 'username', message: 'Username: already taken' },
      { field: 'host', message: 'Host Name: required' },
    ];
    goSide({
      Users: {
        CreateAPIUser: vi
          .fn()
          .mockRejectedValue(JSON.stringify({ code: 'invalid', field: 'username', message: fields[0].message, fields })),
      },
    });
    const err = await api.createAPIUser({} as Parameters<typeof api.createAPIUser>[0]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'invalid', field: 'username', message: 'Username: already taken' });
    expect((err as AppError).fieldMessages()).toEqual({ username: 'Username: already taken', host: 'Host Name: required' });
  });

  it('rejects with an AppError when the bindings are missing (no Wails runtime)', async () => {
    await expect(vaultApi.listResources()).rejects.toBeInstanceOf(AppError);
  });

  it('passes the arguments through in order', async () => {
    const RevealPassword = vi.fn().mockResolvedValue('S3cret!');
    goSide({ Vault: { RevealPassword } });
    await expect(vaultApi.revealPassword('170741', '170742', 'copy', 'INC-42 restore', 'INC-42')).resolves.toBe('S3cret!');
    expect(RevealPassword).toHaveBeenCalledWith('170741', '170742', 'copy', 'INC-42 restore', 'INC-42');
  });

  it('passes the REST settings, refusalsAsPmp last, to SaveAPIServer', async () => {
    const SaveAPIServer = vi.fn().mockResolvedValue({});
    goSide({ Vault: { SaveAPIServer } });
    await vaultApi.saveAPIServer('127.0.0.1:7272', true, '', true);
    expect(SaveAPIServer).toHaveBeenCalledWith('127.0.0.1:7272', true, '', true);
  });

  it('passes the pasted certificate and key to ImportServerCertificate', async () => {
    const view = { fingerprint: 'AB:CD', subject: 'CN=vault.example.com', notAfter: '2026-11-30T23:59:59Z', imported: true };
    const ImportServerCertificate = vi.fn().mockResolvedValue(view);
    goSide({ Vault: { ImportServerCertificate } });
    await expect(vaultApi.importServerCertificate('CERT', 'KEY')).resolves.toEqual(view);
    expect(ImportServerCertificate).toHaveBeenCalledWith('CERT', 'KEY');
  });
});

describe('answers on the way in', () => {
  it('makes the lists Go sends as null (nil slices) empty', async () => {
    goSide({
      Vault: {
        ListResources: vi.fn().mockResolvedValue(null),
        GetResource: vi.fn().mockResolvedValue({ resource: { id: '1', name: 'db01' }, accounts: null, shares: null }),
      },
      Users: {
        ListUsers: vi.fn().mockResolvedValue({ total: 0, rows: null }),
        ListRoles: vi.fn().mockResolvedValue([{ id: 'custom-1', name: 'Empty', permissions: null }]),
        ListPermissions: vi.fn().mockResolvedValue(null),
        GetUserActivity: vi.fn().mockResolvedValue({ shares: null, audit: null, auditHidden: true }),
      },
      Audit: { QueryAudit: vi.fn().mockResolvedValue({ records: null, next: 0 }) },
      Session: { GetAppState: vi.fn().mockResolvedValue({ phase: 'ready', operator: { username: 'alice', permissions: null } }) },
    });

    await expect(vaultApi.listResources()).resolves.toEqual([]);
    await expect(vaultApi.getResource('1')).resolves.toMatchObject({ accounts: [], shares: [] });
    await expect(api.listUsers({} as Parameters<typeof api.listUsers>[0])).resolves.toEqual({ total: 0, rows: [] });
    await expect(api.listRoles()).resolves.toEqual([{ id: 'custom-1', name: 'Empty', permissions: [] }]);
    await expect(api.listPermissions()).resolves.toEqual([]);
    await expect(api.getUserActivity('bob')).resolves.toEqual({ shares: [], audit: [], auditHidden: true });
    const anyFilter = {} as Parameters<typeof auditApi.queryAudit>[0];
    await expect(auditApi.queryAudit(anyFilter, 0, 100)).resolves.toEqual({ records: [], next: 0 });
    await expect(api.getAppState()).resolves.toMatchObject({ operator: { username: 'alice', permissions: [] } });
  });

  it('fills in the key status counts the report map leaves out', async () => {
    goSide({
      Audit: {
        GetReports: vi
          .fn()
          .mockResolvedValue({ keyStatus: { expiring7: 2 }, expiringSoon: [], idleKeys: null, superAdmins: [], perHost: null }),
      },
    });
    await expect(auditApi.getReports()).resolves.toEqual({
      keyStatus: { active: 0, expiring30: 0, expiring7: 2, expiring1: 0, expired: 0, none: 0, disabled: 0, revoked: 0 },
      expiringSoon: [],
      idleKeys: [],
      superAdmins: [],
      perHost: [],
    });
  });
});
