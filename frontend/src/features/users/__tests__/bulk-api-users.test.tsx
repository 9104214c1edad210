import { screen, waitFor, within } from '@testing-library/react';
import type { BulkProgress, BulkResult } from '../../../lib/wails';
import { BAD_HOST, makeBulkResult, mockBulk, resetBulkMock } from '../../../test/bulkMock';
import { backendError } from '../../../test/fixtures';
import { resetApiMock } from '../../../test/wailsMock';
import { openUsers } from './helpers';

vi.mock('../../../lib/wails');

type User = Awaited<ReturnType<typeof openUsers>>['user'];

beforeEach(() => {
  resetApiMock();
  resetBulkMock();
});

async function openBulk(user: User) {
  await user.click(await screen.findByRole('button', { name: 'Add User' }));
  await user.click(await screen.findByRole('menuitem', { name: 'Add API Users in Bulk' }));
  return screen.findByRole('dialog', { name: 'Add API Users in Bulk' });
}

/** Pastes hosts, sets the prefix and Never Expires, and opens the preview. */
async function previewHosts(user: User, dialog: HTMLElement, hosts: string) {
  await user.type(within(dialog).getByLabelText('Host Names'), hosts);
  await user.type(within(dialog).getByLabelText('Username prefix'), 'backup');
  await user.click(within(dialog).getByLabelText('Never Expires'));
  await user.click(within(dialog).getByRole('button', { name: 'Preview' }));
  await within(dialog).findByRole('table', { name: 'Preview' });
}

/** A promise the test settles, and the progress callback the modal subscribed. */
function controlledRun() {
  let settle!: (r: BulkResult) => void;
  mockBulk.createBulkAPIUsers.mockImplementation(() => new Promise<BulkResult>((resolve) => (settle = resolve)));
  let onProgress: ((p: BulkProgress) => void) | undefined;
  const unsubscribe = vi.fn();
  mockBulk.onBulkProgress.mockImplementation((fn) => {
    onProgress = fn;
    return unsubscribe;
  });
  return { settle: (r: BulkResult) => settle(r), progress: (p: BulkProgress) => onProgress!(p), unsubscribe };
}

describe('Add API Users in Bulk', () => {
  it('pastes hosts, marks the bad row, fixes it, creates with progress and saves the keys to a file', async () => {
    const { user } = await openUsers();
    const dialog = await openBulk(user);
    await previewHosts(user, dialog, 'web01.example.com\nbad host\n10.0.0.7');

    expect(mockBulk.parseBulkHosts).toHaveBeenCalledWith('web01.example.com\nbad host\n10.0.0.7');
    const common = mockBulk.checkBulkAPIUsers.mock.calls[0][1];
    expect(common).toMatchObject({ prefix: 'backup', role: 'password_user', restEnabled: true, neverExpires: true, expiresAt: '' });

    // Every row is shown with the Username it gets; the bad cell carries the form's message.
    const table = within(dialog).getByRole('table', { name: 'Preview' });
    // Username, and Full Name that defaults to it.
    expect(within(within(table).getByRole('row', { name: 'Line 1' })).getAllByText('backup@web01.example.com')).toHaveLength(2);
    const badRow = within(table).getByRole('row', { name: 'Line 2' });
    expect(badRow).toHaveAttribute('aria-invalid', 'true');
    expect(within(badRow).getByText(BAD_HOST)).toBeInTheDocument();
    expect(within(dialog).getByText('3 rows: 2 ready, 1 with errors')).toBeInTheDocument();
    // Nothing is created while a row is bad.
    expect(within(dialog).getByRole('button', { name: 'Create 3 API Users' })).toBeDisabled();

    // Fix the row in place.
    await user.click(within(badRow).getByRole('button', { name: 'Fix line 2' }));
    const fix = await screen.findByRole('dialog', { name: 'Fix line 2' });
    const host = within(fix).getByLabelText('Host Name');
    expect(host).toHaveAccessibleDescription(BAD_HOST);
    await user.clear(host);
    await user.type(host, 'web02.example.com');
    await user.click(within(fix).getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Fix line 2' })).not.toBeInTheDocument());
    expect(await within(dialog).findByText('3 rows: 3 ready')).toBeInTheDocument();
    expect(mockBulk.checkBulkAPIUsers).toHaveBeenCalledTimes(2);
    expect(mockBulk.checkBulkAPIUsers.mock.calls[1][0][1]).toMatchObject({ line: 2, host: 'web02.example.com' });
    expect(within(dialog).queryByText(BAD_HOST)).not.toBeInTheDocument();

    // The key file: the save dialog, or a path typed in.
    const create = within(dialog).getByRole('button', { name: 'Create 3 API Users' });
    expect(create).toBeEnabled();
    await user.click(create);
    expect(await within(dialog).findByText('Key file: choose where to save the keys')).toBeInTheDocument();
    expect(mockBulk.createBulkAPIUsers).not.toHaveBeenCalled();
    mockBulk.chooseKeyFile.mockResolvedValue('/home/alice/hostbound-api-keys.csv');
    await user.click(within(dialog).getByRole('button', { name: 'Save As…' }));
    await waitFor(() => expect(within(dialog).getByLabelText('Key file')).toHaveValue('/home/alice/hostbound-api-keys.csv'));

    // Create: progress per batch, then the summary.
    const run = controlledRun();
    await user.click(create);
    const bar = await within(dialog).findByRole('progressbar', { name: 'Creation progress' });
    expect(within(dialog).getByText('0 of 3 API users created')).toBeInTheDocument();
    expect(mockBulk.createBulkAPIUsers).toHaveBeenCalledWith({
      rows: expect.arrayContaining([expect.objectContaining({ host: 'web02.example.com' })]),
      common: expect.objectContaining({ prefix: 'backup', neverExpires: true }),
      skipBad: false,
      keyFile: '/home/alice/hostbound-api-keys.csv',
      sealDir: '',
    });
    run.progress({ done: 2, total: 3 });
    expect(await within(dialog).findByText('2 of 3 API users created')).toBeInTheDocument();
    expect(bar).toHaveAttribute('aria-valuenow', String((100 * 2) / 3));
    run.settle(
      makeBulkResult({
        total: 3,
        created: 3,
        inKeyFile: 3,
        keyFile: '/home/alice/hostbound-api-keys.csv',
        message: '3 API users were created.',
      }),
    );
    expect(await within(dialog).findByText('3 API users were created.')).toBeInTheDocument();
    expect(within(dialog).getByText('/home/alice/hostbound-api-keys.csv')).toBeInTheDocument();
    expect(within(dialog).getByText(/Hostbound keeps no copy of these keys/)).toBeInTheDocument();
    expect(run.unsubscribe).toHaveBeenCalled();
    // No key ever reaches the window.
    expect(document.body.textContent).not.toMatch(/hbk_/);

    // The footer's Close (the header's × is also named Close).
    const closeButtons = within(dialog).getAllByRole('button', { name: 'Close' });
    await user.click(closeButtons[closeButtons.length - 1]);
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Add API Users in Bulk' })).not.toBeInTheDocument());
  });

  it('creates the good rows only when the operator skips the bad ones', async () => {
    mockBulk.createBulkAPIUsers.mockResolvedValue(
      makeBulkResult({ total: 2, created: 2, skipped: 1, inKeyFile: 2, keyFile: '/tmp/k.csv', message: '2 API users were created. 1 bad rows were skipped.' }),
    );
    const { user } = await openUsers();
    const dialog = await openBulk(user);
    await previewHosts(user, dialog, 'web01\nbad host\nweb03');
    await user.click(within(dialog).getByLabelText('Skip the 1 bad row and create the others'));
    await user.type(within(dialog).getByLabelText('Key file'), '/tmp/k.csv');
    await user.click(within(dialog).getByRole('button', { name: 'Create 2 API Users' }));
    expect(await within(dialog).findByText('2 API users were created. 1 bad rows were skipped.')).toBeInTheDocument();
    expect(mockBulk.createBulkAPIUsers).toHaveBeenCalledWith(expect.objectContaining({ skipBad: true, keyFile: '/tmp/k.csv' }));
  });

  it('Cancel stops the run after the current batch and says how many were created', async () => {
    const { user } = await openUsers();
    const dialog = await openBulk(user);
    await previewHosts(user, dialog, 'web01\nweb02');
    await user.type(within(dialog).getByLabelText('Key file'), '/tmp/k.csv');
    const run = controlledRun();
    await user.click(within(dialog).getByRole('button', { name: 'Create 2 API Users' }));
    await within(dialog).findByRole('progressbar', { name: 'Creation progress' });
    // The modal cannot be closed while the run goes on.
    expect(within(dialog).queryByRole('button', { name: 'Back' })).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(mockBulk.cancelBulkCreate).toHaveBeenCalled();
    expect(await within(dialog).findByText(/Cancelling after the current batch/)).toBeInTheDocument();
    run.settle(makeBulkResult({ total: 2, created: 1, cancelled: true, inKeyFile: 1, keyFile: '/tmp/k.csv', message: 'Cancelled: 1 of 2 API users were created.' }));
    expect(await within(dialog).findByText('Cancelled: 1 of 2 API users were created.')).toBeInTheDocument();
  });

  it('shows why a CSV file cannot be read, naming the unknown column', async () => {
    mockBulk.parseBulkCSV.mockRejectedValue(
      backendError('invalid', 'The CSV file cannot be read: unknown column "Hostname" (the columns are Username, Host Name, …)'),
    );
    const { user } = await openUsers();
    const dialog = await openBulk(user);
    await user.click(within(dialog).getByText('Open a CSV file'));
    const file = new File(['Hostname\nweb01\n'], 'hosts.csv', { type: 'text/csv' });
    expect(within(dialog).getByLabelText('CSV file')).toBeInTheDocument();
    await user.upload(dialog.querySelector<HTMLInputElement>('input[type="file"]')!, file);
    await user.click(within(dialog).getByLabelText('Never Expires'));
    await user.click(within(dialog).getByRole('button', { name: 'Preview' }));
    expect(await within(dialog).findByText(/unknown column "Hostname"/)).toBeInTheDocument();
    expect(mockBulk.parseBulkCSV).toHaveBeenCalledWith('Hostname\nweb01\n');
    expect(mockBulk.checkBulkAPIUsers).not.toHaveBeenCalled();
  });

  it('asks for an expiry date before the preview', async () => {
    const { user } = await openUsers();
    const dialog = await openBulk(user);
    await user.type(within(dialog).getByLabelText('Host Names'), 'web01');
    await user.click(within(dialog).getByRole('button', { name: 'Preview' }));
    expect(await within(dialog).findByText('Expiry date: choose a date or Never Expires')).toBeInTheDocument();
    expect(mockBulk.parseBulkHosts).not.toHaveBeenCalled();
  });

  it('keeps 10,000 rows windowed', async () => {
    const hosts = Array.from({ length: 10_000 }, (_, i) => `web${i}`).join('\n');
    const { user } = await openUsers();
    const dialog = await openBulk(user);
    // Typing 10,000 lines is slow: paste them.
    within(dialog).getByLabelText('Host Names').focus();
    await user.paste(hosts);
    await user.click(within(dialog).getByLabelText('Never Expires'));
    await user.click(within(dialog).getByRole('button', { name: 'Preview' }));
    const table = await within(dialog).findByRole('table', { name: 'Preview' });
    expect(within(dialog).getByText('10,000 rows: 10,000 ready')).toBeInTheDocument();
    expect(within(table).getAllByRole('row').length).toBeLessThan(40);
    expect(within(dialog).getByRole('button', { name: 'Create 10,000 API Users' })).toBeInTheDocument();
  });
});
