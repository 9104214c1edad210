// The KillSwitch binding: the Users screen's "Revoke keys…" dialog and an
// API user's "Restore access". Every method rejects with an AppError.
import * as KillSwitch from '../../../wailsjs/go/desktop/KillSwitch';
import type { desktop, users } from '../../../wailsjs/go/models';
import { userRow } from './api';
import { call, list } from './call';
import type { Data, KeyStatus, UserQuery, UserRow } from './types';

/** How the API users of a revocation are selected. */
export type SelectBy = 'host' | 'cidr' | 'department' | 'search';

/** What the revocation does to a selected user. */
export type AffectedStatus = 'revoke' | 'not yours to revoke' | 'already revoked';

/** The selection: a host, CIDR or department in value, or the Users list's search and filters in query. */
export type RevokeSelection = Omit<Data<users.Selection>, 'by' | 'query'> & { by: SelectBy; query: UserQuery };
export type AffectedRow = Omit<Data<desktop.AffectedRow>, 'status' | 'keyStatus'> &
  UserRow & { status: AffectedStatus; keyStatus: KeyStatus };
export type RevocationPreview = Omit<Data<desktop.RevocationPreview>, 'rows'> & { rows: AffectedRow[] };
export type RevokeResult = Data<desktop.RevokeResult>;
export type RevocationView = Data<desktop.RevocationView>;

const affectedRow = (r: desktop.AffectedRow): AffectedRow => ({ ...userRow(r), status: r.status as AffectedStatus });

export const killSwitchApi = {
  /** Counts and the window [offset, offset + limit) of the selected API users. */
  previewRevocation: (sel: RevokeSelection, offset: number, limit: number): Promise<RevocationPreview> =>
    call(KillSwitch.PreviewRevocation, sel as users.Selection, offset, limit).then((p) => ({
      ...p,
      rows: list(p.rows).map(affectedRow),
    })),
  /** Revokes REST, SSH and certificate access of the selected API users (reason required). */
  revokeAccess: (sel: RevokeSelection, reason: string): Promise<RevokeResult> =>
    call(KillSwitch.RevokeAccess, sel as users.Selection, reason),
  /** Whether an API user's access is revoked, by whom, when and why. */
  getRevocation: (username: string): Promise<RevocationView> => call(KillSwitch.GetRevocation, username),
  /** Lifts a revocation: the key, SSH key and certificate work again as they were. */
  restoreAccess: (username: string): Promise<RevocationView> => call(KillSwitch.RestoreAccess, username),
};

export type KillSwitchApi = typeof killSwitchApi;
