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

  it('defuses text a spreadsheet would run as a formula with a leading quote', () => {
    expect(csvField('=HYPERLINK("http://x","click")')).toBe(`"'=HYPERLINK(""http://x"",""click"")"`);
    expect(csvField('+1+1')).toBe("'+1+1");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1:A9)')).toBe("'@SUM(A1:A9)");
    expect(csvField('\t=1+1')).toBe("'\t=1+1");
    // The defused CR still needs quoting.
    expect(csvField('\r=1+1')).toBe(`"'\r=1+1"`);
  });

  it('leaves text alone when the formula character is not first', () => {
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField(' =1+1')).toBe(' =1+1');
    expect(csvField('backup@web01.example.com')).toBe('backup@web01.example.com');
  });

  it('writes numbers as numbers, negative ones too', () => {
    expect(csvField(-5)).toBe('-5');
    expect(csvField(-0.5)).toBe('-0.5');
    expect(csvField(0)).toBe('0');
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

  it('defuses formulas in text cells and keeps number cells', () => {
    expect(toCsv(['Full Name', 'Count'], [["=cmd|' /C calc'!A0", -1]])).toBe(
      "Full Name,Count\r\n'=cmd|' /C calc'!A0,-1\r\n",
    );
  });

  it('writes only the header without rows', () => {
    expect(toCsv(['Host Name', 'API users'], [])).toBe('Host Name,API users\r\n');
  });
});
