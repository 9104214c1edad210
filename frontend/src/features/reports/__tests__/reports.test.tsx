import { screen, within } from '@testing-library/react';
import { App } from '../../../App';
import { makeReport, mockAudit } from '../../../test/auditMock';
import { alice, backendError, makeUserRow, readyState } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { mockApi, resetApiMock } from '../../../test/wailsMock';

vi.mock('../../../lib/wails');

beforeEach(() => {
  resetApiMock();
});

async function openReports() {
  mockApi.getAppState.mockResolvedValue(readyState(alice));
  const view = renderWithProviders(<App />);
  const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
  await view.user.click(within(nav).getByRole('button', { name: 'Reports' }));
  await screen.findByRole('heading', { name: 'Reports', level: 1 });
  return view;
}

/** jsdom's Blob has no text(). */
function readBlob(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

function countOf(card: HTMLElement, label: string): string {
  const row = within(card).getByText(label).closest('tr') as HTMLTableRowElement;
  return row.cells[1].textContent ?? '';
}

const report = makeReport({
  keyStatus: { active: 12, expiring30: 3, expiring7: 2, expiring1: 1, expired: 4, none: 5, disabled: 6, revoked: 0 },
  expiringSoon: [
    makeUserRow({
      username: 'backup@web01',
      fullName: 'Nightly, Backup',
      host: 'web01.example.com',
      keyStatus: 'expiring',
      keyExpiresAt: '2026-04-02T10:00:00Z',
    }),
  ],
  idleKeys: [makeUserRow({ username: 'etl@db02', host: 'db02.example.com', lastUsedAt: '' })],
  superAdmins: [
    makeUserRow({ username: 'alice', kind: 'operator', fullName: 'Alice Admin', roleName: 'Privileged Administrator', host: '' }),
  ],
  perHost: [
    { host: 'web01.example.com', count: 4 },
    { host: 'db02.example.com', count: 2 },
  ],
});

describe('Reports screen', () => {
  it('shows the key status counts and the report tables', async () => {
    mockAudit.getReports.mockResolvedValue(report);
    await openReports();

    const status = await screen.findByRole('region', { name: 'API key status' });
    expect(countOf(status, 'Active')).toBe('12');
    expect(countOf(status, 'Expiring within 30 days')).toBe('3');
    expect(countOf(status, 'Expiring within 7 days')).toBe('2');
    expect(countOf(status, 'Expiring within 1 day')).toBe('1');
    expect(countOf(status, 'Expired')).toBe('4');
    expect(countOf(status, 'No key')).toBe('5');
    expect(countOf(status, 'Disabled')).toBe('6');

    const expiring = screen.getByRole('region', { name: 'Keys expiring soon' });
    expect(within(expiring).getByRole('row', { name: /backup@web01/ })).toHaveTextContent('web01.example.com');
    const idle = screen.getByRole('region', { name: 'Idle keys' });
    expect(within(idle).getByRole('row', { name: /etl@db02/ })).toHaveTextContent('never');
    const supers = screen.getByRole('region', { name: 'Super Administrators' });
    expect(within(supers).getByRole('row', { name: /alice/ })).toHaveTextContent('Privileged Administrator');
    const perHost = screen.getByRole('region', { name: 'API users per host' });
    expect(countOf(perHost, 'web01.example.com')).toBe('4');
    expect(countOf(perHost, 'db02.example.com')).toBe('2');
  });

  it('Export CSV downloads the card as RFC 4180 CSV', async () => {
    mockAudit.getReports.mockResolvedValue(report);
    const blobs: Blob[] = [];
    const createObjectURL = vi.fn((b: Blob) => {
      blobs.push(b);
      return 'blob:report';
    });
    const revokeObjectURL = vi.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const downloads: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push(this.download);
    });
    try {
      const { user } = await openReports();
      const expiring = await screen.findByRole('region', { name: 'Keys expiring soon' });
      await user.click(within(expiring).getByRole('button', { name: 'Export CSV' }));

      expect(downloads).toHaveLength(1);
      expect(downloads[0]).toMatch(/^hostbound-keys-expiring-soon-\d{8}\.csv$/);
      expect(await readBlob(blobs[0])).toBe(
        'Username,Full Name,Host Name,Expires\r\nbackup@web01,"Nightly, Backup",web01.example.com,2026-04-02T10:00:00Z\r\n',
      );
      expect(blobs[0].type).toContain('text/csv');

      await user.click(within(screen.getByRole('region', { name: 'API key status' })).getByRole('button', { name: 'Export CSV' }));
      expect(await readBlob(blobs[1])).toContain('Key Status,API users\r\nActive,12\r\nExpiring within 30 days,3\r\n');
    } finally {
      click.mockRestore();
    }
  });

  it('shows why the reports could not load', async () => {
    mockAudit.getReports.mockRejectedValue(backendError('forbidden', 'You are not allowed to view reports'));
    await openReports();
    expect(await screen.findByText('You are not allowed to view reports')).toBeInTheDocument();
  });
});
