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
