import { csvField, toCsv } from './csv';

describe('csvField', () => {
  it('leaves plain text alone', () => {
    expect(csvField('backup@web01.example.com')).toBe('backup@web01.example.com');
    expect(csvField(42)).toBe('42');
    expect(csvField('')).toBe('');
  });

  it('quotes a field with a comma, a quote or a line break, doubling quotes', () => {
    expect(csvField('Smith, John')).toBe('"Smith, John"');
    expect(csvField('the "web" host')).toBe('"the ""web"" host"');
    expect(csvField('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvField('line 1\r\nline 2')).toBe('"line 1\r\nline 2"');
    expect(csvField('"')).toBe('""""');
  });
});

describe('toCsv', () => {
  it('writes a header row and the rows with CRLF line ends', () => {
    expect(
      toCsv(
        ['Username', 'Full Name', 'Count'],
        [
          ['alice', 'Alice "Al" Admin', 3],
          ['bob', 'Builder, Bob', 0],
          ['carol', 'Carol\nSecond line', 1],
        ],
      ),
    ).toBe(
      'Username,Full Name,Count\r\n' +
        'alice,"Alice ""Al"" Admin",3\r\n' +
        'bob,"Builder, Bob",0\r\n' +
        'carol,"Carol\nSecond line",1\r\n',
    );
  });

  it('writes only the header without rows', () => {
    expect(toCsv(['Host Name', 'API users'], [])).toBe('Host Name,API users\r\n');
  });
});
