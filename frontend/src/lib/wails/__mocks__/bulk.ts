// The mocked ../bulk.ts, re-exported by ./index.ts. Defaults are set by
// resetBulkMock() in src/test/bulkMock.ts.
import type { BulkApi } from '../bulk';

export type * from '../bulk';

export const bulkApi = {
  parseBulkHosts: vi.fn<BulkApi['parseBulkHosts']>(),
  parseBulkCSV: vi.fn<BulkApi['parseBulkCSV']>(),
  checkBulkAPIUsers: vi.fn<BulkApi['checkBulkAPIUsers']>(),
  chooseKeyFile: vi.fn<BulkApi['chooseKeyFile']>(),
  chooseSealDirectory: vi.fn<BulkApi['chooseSealDirectory']>(),
  createBulkAPIUsers: vi.fn<BulkApi['createBulkAPIUsers']>(),
  cancelBulkCreate: vi.fn<BulkApi['cancelBulkCreate']>(),
  onBulkProgress: vi.fn<BulkApi['onBulkProgress']>(),
} satisfies BulkApi;
