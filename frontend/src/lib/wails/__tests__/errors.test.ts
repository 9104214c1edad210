import { AppError, toAppError } from '../errors';

describe('toAppError', () => {
  it('parses the JSON string that Wails rejects with', () => {
    const err = toAppError(
      JSON.stringify({ code: 'invalid', field: 'password', message: 'Password: at least 12 characters' }),
    );
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'invalid', field: 'password', message: 'Password: at least 12 characters' });
  });

  it('treats a plain string as an internal form-level error', () => {
    expect(toAppError('database is closed')).toMatchObject({
      code: 'internal',
      field: '',
      message: 'database is closed',
    });
  });

  it('maps an unknown code to internal and keeps the message', () => {
    expect(toAppError('{"code":"weird","message":"Something odd"}')).toMatchObject({
      code: 'internal',
      field: '',
      message: 'Something odd',
    });
  });

  it('reads the message of an Error', () => {
    expect(toAppError(new TypeError('window.go is undefined'))).toMatchObject({
      code: 'internal',
      message: 'window.go is undefined',
    });
  });

  it('returns an AppError unchanged', () => {
    const original = new AppError('session_expired', '', 'Session expired');
    expect(toAppError(original)).toBe(original);
  });

  it('never produces an empty message', () => {
    expect(toAppError('').message).toBe('Internal error');
    expect(toAppError(undefined).message).toBe('Internal error');
  });
});

describe('field errors', () => {
  it('keeps every field error of a form', () => {
    const err = toAppError(
      JSON.stringify({
        code: 'invalid',
        field: 'host',
        message: 'Host Name: not a valid hostname, IP address or CIDR',
        fields: [
          { field: 'host', message: 'Host Name: not a valid hostname, IP address or CIDR' },
          { field: 'expiresAt', message: 'Expiry date must be in the future' },
        ],
      }),
    );
    expect(err.fields).toHaveLength(2);
    expect(err.fieldMessages()).toEqual({
      host: 'Host Name: not a valid hostname, IP address or CIDR',
      expiresAt: 'Expiry date must be in the future',
    });
  });

  it('turns a single field error into one entry and a form error into none', () => {
    expect(toAppError('{"code":"conflict","field":"username","message":"Username already exists"}').fieldMessages()).toEqual({
      username: 'Username already exists',
    });
    expect(toAppError('{"code":"forbidden","field":"","message":"You are not allowed to add API users"}').fieldMessages()).toEqual(
      {},
    );
  });

  it('ignores malformed entries in fields', () => {
    const err = toAppError('{"code":"invalid","field":"","message":"Bad","fields":[1,{"field":"a"},{"field":"b","message":"B"}]}');
    expect(err.fields).toEqual([{ field: 'b', message: 'B' }]);
  });
});
