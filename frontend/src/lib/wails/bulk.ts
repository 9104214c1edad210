// The Bulk binding: Users → Add User → Add API Users in Bulk. Every method
// rejects with an AppError. No method answers with an API key: the keys go
// from the backend straight into the files the operator chose.
import * as Bulk from '../../../wailsjs/go/desktop/Bulk';
import type { desktop, onboard } from '../../../wailsjs/go/models';
import { EventsOn } from '../../../wailsjs/runtime/runtime';
import { call, list } from './call';
import type { Data } from './types';

/** One row to create, as the host list or CSV gave it (and the preview fixed it); "" for an empty cell. */
export type BulkRow = Data<onboard.Row>;
/** The fields set once for all rows; a row's own cell overrides them. */
export type BulkCommon = Data<desktop.BulkCommon>;
export type BulkRowView = Data<desktop.BulkRowView>;
export type BulkPreview = Data<desktop.BulkPreview>;
export type BulkCreateRequest = Data<desktop.BulkCreateRequest>;
export type BulkResult = Data<desktop.BulkResult>;
/** Done of total users created so far. */
export interface BulkProgress {
  done: number;
  total: number;
}

/** The Wails event CreateBulkAPIUsers sends after each batch. */
const BULK_PROGRESS_EVENT = 'bulk-create-progress';

const preview = (p: desktop.BulkPreview): BulkPreview => ({
  ...p,
  rows: list(p.rows).map((r) => ({ ...r, errors: list(r.errors) })),
});

export const bulkApi = {
  /** Reads a pasted host list, one host a line. */
  parseBulkHosts: (text: string): Promise<BulkRow[]> => call(Bulk.ParseBulkHosts, text).then(list),
  /** Reads the text of an opened CSV file (a header naming the columns). */
  parseBulkCSV: (text: string): Promise<BulkRow[]> => call(Bulk.ParseBulkCSV, text).then(list),
  /** Validates every row with the Add API User form's rules; writes nothing. */
  checkBulkAPIUsers: (rows: BulkRow[], common: BulkCommon): Promise<BulkPreview> =>
    call(Bulk.CheckBulkAPIUsers, { rows, common } as desktop.BulkRequest).then(preview),
  /** The save dialog for the key file; '' when cancelled. */
  chooseKeyFile: (): Promise<string> => call(Bulk.ChooseKeyFile),
  /** The directory dialog for the sealed key files; '' when cancelled. */
  chooseSealDirectory: (): Promise<string> => call(Bulk.ChooseSealDirectory),
  /** Creates the users in batches and writes their keys; answers when the run ends. */
  createBulkAPIUsers: (req: BulkCreateRequest): Promise<BulkResult> =>
    call(Bulk.CreateBulkAPIUsers, req as desktop.BulkCreateRequest),
  /** Stops the running creation after its current batch. */
  cancelBulkCreate: (): Promise<void> => call(Bulk.CancelBulkCreate),
  /** Calls onProgress after each batch of a running creation; returns the unsubscribe. */
  onBulkProgress: (onProgress: (p: BulkProgress) => void): (() => void) =>
    EventsOn(BULK_PROGRESS_EVENT, (p: Partial<BulkProgress> | null) =>
      onProgress({ done: Number(p?.done) || 0, total: Number(p?.total) || 0 }),
    ),
};

export type BulkApi = typeof bulkApi;
