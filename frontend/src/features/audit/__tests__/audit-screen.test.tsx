import { act, screen, waitFor, within } from '@testing-library/react';
import { App } from '../../../App';
import { makeAuditRecord, mockAudit } from '../../../test/auditMock';
import { alice, backendError, readyState } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { mockApi, resetApiMock } from '../../../test/wailsMock';
import { AUDIT_PAGE_SIZE } from '../api/useAuditTrail';

vi.mock('../../../lib/wails');

beforeEach(() => {
  resetApiMock();
});

async function openAudit() {
  mockApi.getAppState.mockResolvedValue(readyState(alice));
  const view = renderWithProviders(<App />);
  const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
  await view.user.click(within(nav).getByRole('button', { name: 'Audit' }));
  await screen.findByRole('heading', { name: 'Audit Trail' });
  return view;
}

const EMPTY = { from: '', to: '', actor: '', operation: '', target: '', result: '', source: '' };

describe('Audit screen', () => {
  it('shows the newest page of records with the actor full name', async () => {
    mockAudit.queryAudit.mockResolvedValue({
      records: [
        makeAuditRecord({
          seq: 7,
          actor: 'alice',
          actorName: 'Alice Admin',
          operation: 'delete user',
          target: 'backup@web01.example.com',
          result: 'failure',
          reason: 'not allowed',
        }),
        makeAuditRecord({ seq: 6, actor: 'etl@db02', actorName: 'ETL Job', actorKind: 'api', source: '10.0.0.7', operation: 'get password' }),
      ],
      next: 0,
    });
    await openAudit();

    const row = await screen.findByRole('row', { name: /delete user/ });
    expect(within(row).getByText('Alice Admin')).toBeInTheDocument();
    expect(within(row).getByText('alice')).toBeInTheDocument();
    expect(within(row).getByText('backup@web01.example.com')).toBeInTheDocument();
    expect(within(row).getByText('Failure')).toBeInTheDocument();
    expect(within(row).getByText('not allowed')).toBeInTheDocument();
    const api = screen.getByRole('row', { name: /get password/ });
    expect(within(api).getByText('ETL Job')).toBeInTheDocument();
    expect(within(api).getByText('API user')).toBeInTheDocument();
    expect(within(api).getByText('10.0.0.7')).toBeInTheDocument();
    expect(within(api).getByText('Success')).toBeInTheDocument();
    expect(mockAudit.queryAudit).toHaveBeenCalledWith(EMPTY, 0, AUDIT_PAGE_SIZE);
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('Apply sends the filters, with From as RFC 3339', async () => {
    mockAudit.queryAudit.mockImplementation(async (f) =>
      f.actor === 'bob'
        ? { records: [makeAuditRecord({ seq: 3, actor: 'bob', actorName: 'Bob Admin', operation: 'log in', result: 'failure' })], next: 0 }
        : { records: [makeAuditRecord({ seq: 9, operation: 'create role' })], next: 0 },
    );
    const { user } = await openAudit();
    expect(await screen.findByRole('row', { name: /create role/ })).toBeInTheDocument();

    await user.type(screen.getByLabelText('Actor'), 'bob');
    await user.selectOptions(screen.getByLabelText('Result'), 'Failure');
    await user.type(screen.getByLabelText('From'), '2026-03-01T14:05');
    await user.type(screen.getByLabelText('Source Address'), ' desktop ');
    await user.click(screen.getByRole('button', { name: 'Apply' }));

    const from = new Date(2026, 2, 1, 14, 5).toISOString().replace('.000Z', 'Z');
    await waitFor(() =>
      expect(mockAudit.queryAudit).toHaveBeenLastCalledWith(
        { ...EMPTY, actor: 'bob', result: 'failure', from, source: 'desktop' },
        0,
        AUDIT_PAGE_SIZE,
      ),
    );
    expect(from).toMatch(/^2026-03-0[12]T\d{2}:\d{2}:00Z$/);
    const row = await screen.findByRole('row', { name: /Bob Admin/ });
    expect(within(row).getByText('Failure')).toBeInTheDocument();
    expect(screen.queryByRole('row', { name: /create role/ })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Clear' }));
    await waitFor(() => expect(mockAudit.queryAudit).toHaveBeenLastCalledWith(EMPTY, 0, AUDIT_PAGE_SIZE));
    expect(screen.getByLabelText('Actor')).toHaveValue('');
    expect(await screen.findByRole('row', { name: /create role/ })).toBeInTheDocument();
  });

  it('shows the backend message under the field it names', async () => {
    mockAudit.queryAudit.mockImplementation(async (f) => {
      if (f.to) throw new Error(backendError('invalid', 'To: must be after From', 'to'));
      return { records: [], next: 0 };
    });
    const { user } = await openAudit();
    await screen.findByText('No audit records match.');

    await user.type(screen.getByLabelText('To'), '2020-01-01T00:00');
    await user.click(screen.getByRole('button', { name: 'Apply' }));

    expect(await screen.findByText('To: must be after From')).toBeInTheDocument();
    expect(screen.getByLabelText('To')).toHaveAttribute('aria-invalid', 'true');
  });

  it('Load more asks for the page before the last one with next', async () => {
    // The backend says there is more (next = 901) after these.
    const first = [1000, 999, 998].map((seq, i) => makeAuditRecord({ seq, operation: i === 0 ? 'newest op' : 'op', target: `t${seq}` }));
    mockAudit.queryAudit.mockImplementation(async (_f, before) =>
      before === 0
        ? { records: first, next: 901 }
        : { records: [makeAuditRecord({ seq: 900, operation: 'older op', target: 't900' })], next: 0 },
    );
    const { user } = await openAudit();
    await screen.findByRole('row', { name: /newest op/ });
    expect(screen.getByText(/Showing 3 records/)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Load more' }));

    expect(await screen.findByRole('row', { name: /older op/ })).toBeInTheDocument();
    expect(mockAudit.queryAudit).toHaveBeenLastCalledWith(EMPTY, 901, AUDIT_PAGE_SIZE);
    expect(screen.getByRole('row', { name: /newest op/ })).toBeInTheDocument();
    expect(screen.getByText('Showing 4 records')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('a row opens a drawer with the whole record, the chain fields among them', async () => {
    const reason = `maintenance window ${'and a long explanation '.repeat(8)}end`;
    mockAudit.queryAudit.mockResolvedValue({
      records: [
        makeAuditRecord({
          seq: 4242,
          time: '2026-03-01T12:00:00.5Z',
          actor: 'etl@db02',
          actorName: 'ETL Job',
          actorKind: 'api',
          source: '10.0.0.7',
          operation: 'reveal password',
          target: 'db01.example.com/a-very-long-account-name-that-the-table-cuts',
          result: 'failure',
          reason,
          prev: 'aa11bb22cc33dd44',
          hash: 'c0ffee00deadbeef1234',
          version: 2,
        }),
      ],
      next: 0,
    });
    const { user } = await openAudit();
    await user.click(await screen.findByRole('row', { name: /reveal password/ }));

    const dialog = await screen.findByRole('dialog', { name: 'Audit record 4242' });
    const field = (label: string) => within(dialog).getByRole('rowheader', { name: label }).closest('tr') as HTMLElement;
    expect(within(field('Seq')).getByText('4242')).toBeInTheDocument();
    expect(within(field('Time')).getByText(/^2026-03-0[12] \d{2}:\d{2}:00 UTC[+-]\d{2}:\d{2}/)).toBeInTheDocument();
    expect(within(field('Recorded (UTC)')).getByText('2026-03-01T12:00:00.5Z')).toBeInTheDocument();
    expect(within(field('Actor')).getByText('etl@db02')).toBeInTheDocument();
    expect(within(field('Full Name')).getByText('ETL Job')).toBeInTheDocument();
    expect(within(field('Kind')).getByText('API user')).toBeInTheDocument();
    expect(within(field('Source Address')).getByText('10.0.0.7')).toBeInTheDocument();
    expect(within(field('Operation')).getByText('reveal password')).toBeInTheDocument();
    expect(within(field('Target')).getByText('db01.example.com/a-very-long-account-name-that-the-table-cuts')).toBeInTheDocument();
    expect(within(field('Result')).getByText('Failure')).toBeInTheDocument();
    expect(within(field('Reason')).getByText(reason)).toBeInTheDocument();
    expect(within(field('Hash')).getByText('c0ffee00deadbeef1234')).toBeInTheDocument();
    expect(within(field('Previous Hash')).getByText('aa11bb22cc33dd44')).toBeInTheDocument();
    expect(within(field('Encoding Version')).getByText('2')).toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Audit record 4242' })).not.toBeInTheDocument());
  });

  it('Enter on a focused row opens its details; long cells carry the whole value as a tooltip', async () => {
    const target = 'report-generator-with-a-long-name@localhost/quarterly-finance-export';
    mockAudit.queryAudit.mockResolvedValue({
      records: [makeAuditRecord({ seq: 1, prev: '', operation: 'create api user', target, reason: 'onboarding' })],
      next: 0,
    });
    const { user } = await openAudit();
    const row = await screen.findByRole('row', { name: /create api user/ });
    expect(within(row).getByText(target).closest('td')).toHaveAttribute('title', target);
    expect(within(row).getByText('onboarding').closest('td')).toHaveAttribute('title', 'onboarding');

    row.focus();
    await user.keyboard('{Enter}');
    const dialog = await screen.findByRole('dialog', { name: 'Audit record 1' });
    const prev = within(dialog).getByRole('rowheader', { name: 'Previous Hash' }).closest('tr') as HTMLElement;
    expect(within(prev).getByText('none (the first record)')).toBeInTheDocument();
  });

  it('Verify integrity shows a verified trail', async () => {
    mockAudit.verifyAudit.mockResolvedValue({ checked: true, ok: true, records: 1234, message: 'All 1234 records verified', at: '' });
    const { user } = await openAudit();
    await user.click(screen.getByRole('button', { name: 'Verify integrity' }));

    expect(await screen.findByText('All 1,234 records verified.')).toBeInTheDocument();
    expect(screen.getByText('Audit trail verified')).toBeInTheDocument();
    expect(mockAudit.verifyAudit).toHaveBeenCalledTimes(1);
    expect(screen.queryByText('Audit trail integrity check failed')).not.toBeInTheDocument();
  });

  it('Verify integrity shows a failure naming the record, and the banner appears', async () => {
    mockAudit.verifyAudit.mockResolvedValue({
      checked: true,
      ok: false,
      records: 41,
      message: 'audit trail tampered: record 42 was edited',
      at: '',
    });
    const { user } = await openAudit();
    expect(screen.queryByText('Audit trail integrity check failed')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Verify integrity' }));

    expect(await screen.findByText('Verification failed')).toBeInTheDocument();
    expect(screen.getAllByText('audit trail tampered: record 42 was edited').length).toBeGreaterThanOrEqual(1);
    expect(await screen.findByText('Audit trail integrity check failed')).toBeInTheDocument();
    expect(screen.queryByText('Audit trail verified')).not.toBeInTheDocument();
  });

  it('Export CSV exports the applied filter, shows progress, then the path', async () => {
    let progress: ((n: number) => void) | undefined;
    const stop = vi.fn();
    mockAudit.onExportProgress.mockImplementation((cb) => {
      progress = cb;
      return stop;
    });
    let finish: (r: { path: string; records: number }) => void = () => {};
    mockAudit.exportAudit.mockImplementation(() => new Promise((resolve) => (finish = resolve)));
    const { user } = await openAudit();

    await user.type(screen.getByLabelText('Operation'), 'log in');
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));

    expect(mockAudit.exportAudit).toHaveBeenCalledWith('csv', { ...EMPTY, operation: 'log in' });
    act(() => progress?.(5000));
    expect(await screen.findByText(/5,000 records written/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Export JSON Lines' })).toBeDisabled();

    await act(async () => finish({ path: '/home/test/Downloads/hostbound-audit-20260301-120000.csv', records: 5321 }));

    expect(
      await screen.findByText('Exported 5,321 records to /home/test/Downloads/hostbound-audit-20260301-120000.csv'),
    ).toBeInTheDocument();
    expect(stop).toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Export JSON Lines' })).toBeEnabled();
  });

  it('Export JSON Lines asks for jsonl and shows a failure', async () => {
    mockAudit.exportAudit.mockRejectedValue(backendError('internal', 'cannot write /home/test/Downloads/x.jsonl'));
    const { user } = await openAudit();
    await user.click(screen.getByRole('button', { name: 'Export JSON Lines' }));

    expect(mockAudit.exportAudit).toHaveBeenCalledWith('jsonl', EMPTY);
    expect(await screen.findByText('cannot write /home/test/Downloads/x.jsonl')).toBeInTheDocument();
  });

  it('is not in the navigation without audit.view', async () => {
    mockApi.getAppState.mockResolvedValue(readyState({ ...alice, permissions: alice.permissions.filter((p) => p !== 'audit.view') }));
    renderWithProviders(<App />);
    const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).queryByRole('button', { name: 'Audit' })).not.toBeInTheDocument();
    expect(within(nav).getByRole('button', { name: 'Reports' })).toBeInTheDocument();
  });
});
