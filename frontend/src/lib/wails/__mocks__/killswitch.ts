// The mocked ../killswitch.ts, re-exported by ./index.ts. Defaults are set
// by resetKillSwitchMock() in src/test/killSwitchMock.ts.
import type { KillSwitchApi } from '../killswitch';

export type * from '../killswitch';

export const killSwitchApi = {
  previewRevocation: vi.fn<KillSwitchApi['previewRevocation']>(),
  revokeAccess: vi.fn<KillSwitchApi['revokeAccess']>(),
  getRevocation: vi.fn<KillSwitchApi['getRevocation']>(),
  restoreAccess: vi.fn<KillSwitchApi['restoreAccess']>(),
} satisfies KillSwitchApi;
