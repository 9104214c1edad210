import { screen, within } from '@testing-library/react';
import { App } from '../../../App';
import type { Operator } from '../../../lib/wails';
import { mockAudit } from '../../../test/auditMock';
import { alice, makeUserRow, pam, readyState } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { mockApi, resetApiMock } from '../../../test/wailsMock';

vi.mock('../../../lib/wails');

const DAY = 24 * 60 * 60 * 1000;

beforeEach(() => {
  resetApiMock();
});

async function logIn(operator: Operator = alice, overrides: Parameters<typeof readyState>[1] = {}) {
  mockApi.getAppState.mockResolvedValue(readyState(operator, overrides));
  const view = renderWithProviders(<App />);
  await screen.findByRole('navigation', { name: 'Main navigation' });
  return view;
}

describe('audit integrity banner', () => {
  it('shows the failure message when the check after unlock failed', async () => {
    await logIn(alice, {
      auditIntegrity: { checked: true, ok: false, records: 99, message: 'record 100 was removed', at: '2026-03-01T12:00:00Z' },
    });
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Audit trail integrity check failed')).toBeInTheDocument();
    expect(within(alert).getByText('record 100 was removed')).toBeInTheDocument();
  });

  it('is not there when the chain verified', async () => {
    await logIn(alice, { auditIntegrity: { checked: true, ok: true, records: 99, message: 'All 99 records verified', at: '' } });
    expect(await screen.findByRole('heading', { name: /Welcome/ })).toBeInTheDocument();
    expect(screen.queryByText('Audit trail integrity check failed')).not.toBeInTheDocument();
  });

  it('appears once the background check that was still running fails', async () => {
    mockAudit.getAuditIntegrity.mockResolvedValue({ checked: true, ok: false, records: 5, message: 'record 6 was edited', at: '' });
    await logIn(alice, { auditIntegrity: { checked: false, ok: false, records: 0, message: '', at: '' } });
    expect(screen.queryByText('Audit trail integrity check failed')).not.toBeInTheDocument();

    expect(await screen.findByText('Audit trail integrity check failed', {}, { timeout: 4000 })).toBeInTheDocument();
    expect(screen.getByText('record 6 was edited')).toBeInTheDocument();
  });
});

describe('expiring API keys banner', () => {
  const soon = (days: number) => new Date(Date.now() + days * DAY + 3_600_000).toISOString();
  const rows = [
    makeUserRow({ username: 'backup@web01', keyStatus: 'expiring', keyExpiresAt: soon(2) }),
    makeUserRow({ username: 'etl@db02', keyStatus: 'expiring', keyExpiresAt: soon(5) }),
    makeUserRow({ username: 'mon@web02', keyStatus: 'expiring', keyExpiresAt: soon(9) }),
    makeUserRow({ username: 'ci@build01', keyStatus: 'expiring', keyExpiresAt: soon(12) }),
    makeUserRow({ username: 'deploy@app01', keyStatus: 'expiring', keyExpiresAt: soon(20) }),
    makeUserRow({ username: 'sync@files01', keyStatus: 'expiring', keyExpiresAt: soon(28) }),
  ];

  it('lists up to five usernames with their expiry, and can be dismissed', async () => {
    mockAudit.listExpiringKeys.mockResolvedValue({ total: 7, rows });
    const { user } = await logIn();

    const banner = await screen.findByRole('region', { name: '7 API keys expire within 30 days' });
    for (const name of ['backup@web01', 'etl@db02', 'mon@web02', 'ci@build01', 'deploy@app01']) {
      expect(within(banner).getByText(name)).toBeInTheDocument();
    }
    expect(within(banner).queryByText('sync@files01')).not.toBeInTheDocument();
    expect(within(banner).getByText(/expires in 2 days/)).toBeInTheDocument();
    expect(within(banner).getByText('and 2 more.')).toBeInTheDocument();
    expect(mockAudit.listExpiringKeys).toHaveBeenCalledTimes(1);

    await user.click(within(banner).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('region', { name: '7 API keys expire within 30 days' })).not.toBeInTheDocument();
    expect(screen.queryByText('backup@web01')).not.toBeInTheDocument();
  });

  it('is not there when no key expires soon', async () => {
    mockAudit.listExpiringKeys.mockResolvedValue({ total: 0, rows: [] });
    await logIn();
    expect(await screen.findByRole('heading', { name: /Welcome/ })).toBeInTheDocument();
    await vi.waitFor(() => expect(mockAudit.listExpiringKeys).toHaveBeenCalled());
    expect(screen.queryByText(/expire within 30 days/)).not.toBeInTheDocument();
  });

  it('is not asked for by an operator who cannot see users or reports', async () => {
    mockAudit.listExpiringKeys.mockResolvedValue({ total: 1, rows: rows.slice(0, 1) });
    await logIn({ ...pam, permissions: ['passwords.view'] });
    expect(await screen.findByRole('heading', { name: /Welcome/ })).toBeInTheDocument();
    expect(mockAudit.listExpiringKeys).not.toHaveBeenCalled();
    expect(screen.queryByText(/expires within 30 days/)).not.toBeInTheDocument();
  });
});
