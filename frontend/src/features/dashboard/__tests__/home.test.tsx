import { screen, waitFor, within } from '@testing-library/react';
import { App } from '../../../App';
import { emptyBuckets, makeDashboard, mockAudit } from '../../../test/auditMock';
import { alice, readyState } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { mockApi, resetApiMock } from '../../../test/wailsMock';
import { byHost } from '../components/RecentRefusals';

vi.mock('../../../lib/wails');

beforeEach(() => {
  resetApiMock();
  mockApi.getAppState.mockResolvedValue(readyState(alice));
});

const HOUR = 3_600_000;

const busy = makeDashboard({
  keys: {
    apiUsers: 42,
    active: 30,
    expiringWithin30: 9,
    expiringWithin7: 4,
    expiringWithin1: 1,
    expired: 2,
    noKey: 1,
    disabled: 0,
    revoked: 0,
    idle: 5,
  },
  activity: {
    hours: emptyBuckets(24, HOUR).map((b, i) => ({ ...b, calls: i, refusals: i === 23 ? 3 : 0 })),
    days: emptyBuckets(30, 24 * HOUR).map((b) => ({ ...b, calls: 100, refusals: 1 })),
    refusals: [
      { time: '2026-03-01T11:59:00Z', source: '10.0.0.9', actor: 'etl@db02', operation: 'authenticate', target: '', reason: 'API key has expired' },
      { time: '2026-03-01T11:58:00Z', source: '10.0.0.9', actor: 'etl@db02', operation: 'authenticate', target: '', reason: 'API key has expired' },
      { time: '2026-03-01T11:00:00Z', source: '192.0.2.7', actor: '', operation: 'authenticate', target: '', reason: 'API key received is not associated to any user' },
    ],
  },
  gettingStarted: null,
});

describe('Home', () => {
  it('starts a newcomer with three steps and the curl command for this machine', async () => {
    const { user } = renderWithProviders(<App />);
    const card = await screen.findByRole('region', { name: 'Getting started' });
    const code = within(card).getByLabelText('curl command');
    expect(code.textContent).toContain("export HOSTBOUND_KEY='paste the API key here'");
    expect(code.textContent).toContain("curl -sk --pinnedpubkey 'sha256//");
    expect(code.textContent).toContain('https://127.0.0.1:7272/restapi/json/v1/resources');
    expect(within(card).getByText(/add one first/)).toBeInTheDocument();
    // The figures are all 0 and still there; nothing refused yet.
    expect(screen.getByRole('button', { name: /^0\s*API users$/ })).toBeInTheDocument();
    expect(screen.getByText('Nothing has been refused.')).toBeInTheDocument();

    await user.click(within(card).getByRole('button', { name: 'Go to Users' }));
    expect(await screen.findByRole('heading', { name: 'Users', level: 1 })).toBeInTheDocument();
  });

  it('says why there is no command when the REST API is off', async () => {
    mockAudit.getDashboard.mockResolvedValue(
      makeDashboard({
        api: { running: false, address: '', error: 'The REST API is turned off in Settings' },
        gettingStarted: { baseUrl: '', publicKeyPin: '', resources: 2, command: '', example: '' },
      }),
    );
    renderWithProviders(<App />);
    const card = await screen.findByRole('region', { name: 'Getting started' });
    expect(within(card).queryByLabelText('curl command')).not.toBeInTheDocument();
    expect(within(card).getByText(/The REST API is not running \(The REST API is turned off in Settings\)/)).toBeInTheDocument();
    expect(within(card).getByText(/you have 2 resources/)).toBeInTheDocument();
  });

  it('shows the figures, and a figure opens the Users list filtered to it', async () => {
    mockAudit.getDashboard.mockResolvedValue(busy);
    const { user } = renderWithProviders(<App />);
    await screen.findByRole('button', { name: /^42\s*API users$/ });
    expect(screen.queryByRole('region', { name: 'Getting started' })).not.toBeInTheDocument();
    expect(screen.getByText(/276 calls by API users/)).toBeInTheDocument(); // 0+1+…+23
    expect(screen.getByRole('button', { name: '3 refusals' })).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Last 30 days' }));
    expect(screen.getByText(/3,000 calls by API users/)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: /^4\s*Expiring within 7 days$/ }));
    await screen.findByRole('heading', { name: 'Users', level: 1 });
    await waitFor(() =>
      expect(mockApi.listUsers).toHaveBeenLastCalledWith(expect.objectContaining({ kind: 'api', expiringWithinDays: 7 })),
    );
    // The chip says so; removing it lists every API user again.
    expect(screen.getByText('Keys expiring within 7 days')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Remove the filter: Keys expiring within 7 days' }));
    await waitFor(() => expect(mockApi.listUsers.mock.lastCall?.[0]).not.toHaveProperty('expiringWithinDays'));
  });

  it('lists the last refusals by host, and a host opens its refusals in the audit trail', async () => {
    mockAudit.getDashboard.mockResolvedValue(busy);
    const { user } = renderWithProviders(<App />);
    const section = await screen.findByRole('region', { name: 'Last refusals by host' });
    const rows = within(section).getAllByRole('row').slice(1) as HTMLTableRowElement[];
    expect(rows.map((r) => r.cells[0].textContent)).toEqual(['10.0.0.9', '192.0.2.7']);
    expect(rows[0].cells[1].textContent).toBe('2');
    expect(rows[0].cells[2].textContent).toBe('API key has expired');

    await user.click(within(section).getByRole('button', { name: '10.0.0.9: open its refusals in the audit trail' }));
    await screen.findByRole('heading', { name: 'Audit Trail', level: 1 });
    await waitFor(() =>
      expect(mockAudit.queryAudit).toHaveBeenLastCalledWith(expect.objectContaining({ source: '10.0.0.9', result: 'failure' }), 0, expect.any(Number)),
    );
  });

  it('leaves out what the operator may not see', async () => {
    mockAudit.getDashboard.mockResolvedValue(makeDashboard({ keys: null, activity: null, gettingStarted: null }));
    renderWithProviders(<App />);
    expect(await screen.findByRole('region', { name: 'Services' })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'API users and keys' })).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Calls and refusals' })).not.toBeInTheDocument();
    expect(screen.getByText('The SSH CLI is turned off in Settings')).toBeInTheDocument();
  });

  it('groups refusals by host, most recent host first', () => {
    expect(byHost(busy.activity!.refusals).map((h) => [h.source, h.count])).toEqual([
      ['10.0.0.9', 2],
      ['192.0.2.7', 1],
    ]);
  });
});
