import { endOfDayIso, isoToDateInput, keyExpiryText } from './format';

const NOW = new Date('2026-03-01T12:00:00Z');

describe('keyExpiryText', () => {
  it('counts whole days to the expiry', () => {
    expect(keyExpiryText({ keyHint: 'hbk_AbCd', keyStatus: 'expiring', keyExpiresAt: '2026-03-13T13:00:00Z' }, NOW)).toBe(
      'expires in 12 days',
    );
    expect(keyExpiryText({ keyHint: 'hbk_AbCd', keyStatus: 'expiring', keyExpiresAt: '2026-03-02T13:00:00Z' }, NOW)).toBe(
      'expires in 1 day',
    );
    expect(keyExpiryText({ keyHint: 'hbk_AbCd', keyStatus: 'expiring', keyExpiresAt: '2026-03-01T18:00:00Z' }, NOW)).toBe(
      'expires today',
    );
  });

  it('says expired, never expires, or nothing without a key', () => {
    expect(keyExpiryText({ keyHint: 'hbk_AbCd', keyStatus: 'expired', keyExpiresAt: '2026-02-01T00:00:00Z' }, NOW)).toBe('expired');
    expect(keyExpiryText({ keyHint: 'hbk_AbCd', keyStatus: 'active', keyExpiresAt: '' }, NOW)).toBe('never expires');
    expect(keyExpiryText({ keyHint: '', keyStatus: 'none', keyExpiresAt: '' }, NOW)).toBe('');
  });
});

describe('expiry dates', () => {
  it('sends the end of the chosen local day and reads it back as that day', () => {
    const iso = endOfDayIso('2030-01-31');
    const d = new Date(iso);
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()]).toEqual([2030, 0, 31, 23, 59]);
    expect(isoToDateInput(iso)).toBe('2030-01-31');
    expect(endOfDayIso('31/01/2030')).toBe('');
  });
});
