import { countRecords, formatDateTimeSeconds, localInputToRfc3339 } from './format';

describe('localInputToRfc3339', () => {
  it('reads a datetime-local value as local time and writes RFC 3339 in UTC', () => {
    const local = new Date(2026, 2, 1, 14, 5, 0);
    expect(localInputToRfc3339('2026-03-01T14:05')).toBe(local.toISOString().replace('.000Z', 'Z'));
    expect(localInputToRfc3339('2026-03-01T14:05')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$/);
    expect(localInputToRfc3339('2026-03-01T14:05:30')).toBe(new Date(2026, 2, 1, 14, 5, 30).toISOString().replace('.000Z', 'Z'));
  });

  it('gives an empty string for an empty or invalid value', () => {
    expect(localInputToRfc3339('')).toBe('');
    expect(localInputToRfc3339('yesterday')).toBe('');
  });
});

describe('formatDateTimeSeconds', () => {
  it('shows local time with seconds', () => {
    const d = new Date(2026, 2, 1, 9, 4, 7);
    expect(formatDateTimeSeconds(d.toISOString())).toBe('2026-03-01 09:04:07');
    expect(formatDateTimeSeconds('')).toBe('');
  });
});

describe('countRecords', () => {
  it('counts in the singular and the plural', () => {
    expect(countRecords(1)).toBe('1 record');
    expect(countRecords(1234)).toBe('1,234 records');
  });
});
