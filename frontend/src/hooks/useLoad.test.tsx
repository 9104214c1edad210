import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { SessionContext, type SessionContextValue } from '../features/session/session-context';
import { AppError, toAppError } from '../lib/wails/errors';
import { useLoad } from './useLoad';

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function setup() {
  const handleError = vi.fn((e: unknown) => toAppError(e));
  const session = { handleError } as unknown as SessionContextValue;
  const wrapper = ({ children }: { children: ReactNode }) => (
    <SessionContext.Provider value={session}>{children}</SessionContext.Provider>
  );
  return { handleError, wrapper };
}

const failure = (message: string) => JSON.stringify({ code: 'internal', field: '', message });

describe('useLoad', () => {
  it('loads on mount and keeps the data on screen while a reload runs', async () => {
    const { wrapper } = setup();
    const answers = [deferred<string>(), deferred<string>()];
    const load = vi.fn(() => answers[load.mock.calls.length - 1].promise);
    const { result } = renderHook(() => useLoad(load, []), { wrapper });

    expect(result.current).toMatchObject({ data: undefined, error: null, loading: true });
    await act(async () => answers[0].resolve('first'));
    expect(result.current).toMatchObject({ data: 'first', error: null, loading: false });

    act(() => result.current.reload());
    expect(result.current).toMatchObject({ data: 'first', loading: true });
    await act(async () => answers[1].resolve('second'));
    expect(result.current).toMatchObject({ data: 'second', loading: false });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('keeps the data after a failed reload and reports the error through handleError', async () => {
    const { wrapper, handleError } = setup();
    let calls = 0;
    const load = () => (++calls === 1 ? Promise.resolve('kept') : Promise.reject(failure('database is closed')));
    const { result } = renderHook(() => useLoad(load, []), { wrapper });
    await waitFor(() => expect(result.current.data).toBe('kept'));

    act(() => result.current.reload());
    await waitFor(() => expect(result.current.error).toBeInstanceOf(AppError));
    expect(result.current).toMatchObject({ data: 'kept', loading: false });
    expect(result.current.error?.message).toBe('database is closed');
    expect(handleError).toHaveBeenCalledTimes(1);
  });

  it('compares deps by value and drops the answer for deps that have changed', async () => {
    const { wrapper } = setup();
    const pending = new Map<string, ReturnType<typeof deferred<string>>>();
    const load = vi.fn((q: string) => {
      const d = deferred<string>();
      pending.set(q, d);
      return d.promise;
    });
    const { result, rerender } = renderHook(({ filter }) => useLoad(() => load(filter.q), [filter]), {
      wrapper,
      initialProps: { filter: { q: 'a' } },
    });
    rerender({ filter: { q: 'a' } });
    expect(load).toHaveBeenCalledTimes(1);

    rerender({ filter: { q: 'ab' } });
    expect(load).toHaveBeenCalledTimes(2);
    await act(async () => pending.get('ab')!.resolve('rows for ab'));
    await act(async () => pending.get('a')!.resolve('rows for a'));
    expect(result.current).toMatchObject({ data: 'rows for ab', loading: false });
  });

  it('a failed load for new deps leaves no data, and its error goes while the next deps load', async () => {
    const { wrapper } = setup();
    const next = deferred<string>();
    const load = (q: string) =>
      q === 'ok' ? Promise.resolve('rows') : q === 'bad' ? Promise.reject(failure('To: must be after From')) : next.promise;
    const { result, rerender } = renderHook(({ q }) => useLoad(() => load(q), [q]), {
      wrapper,
      initialProps: { q: 'ok' },
    });
    await waitFor(() => expect(result.current.data).toBe('rows'));

    rerender({ q: 'bad' });
    await waitFor(() => expect(result.current.error?.message).toBe('To: must be after From'));
    expect(result.current.data).toBeUndefined();

    rerender({ q: 'slow' });
    expect(result.current).toMatchObject({ error: null, loading: true });
  });

  it('more() merges pages, runs one fetch per id at a time and drops answers from before a reload', async () => {
    const { wrapper } = setup();
    let reloads = 0;
    const { result } = renderHook(() => useLoad(() => Promise.resolve([`load ${++reloads}`]), []), { wrapper });
    await waitFor(() => expect(result.current.data).toEqual(['load 1']));

    const page = deferred<string>();
    const fetch = vi.fn(() => page.promise);
    const merge = (rows: string[], more: string) => [...rows, more];
    act(() => {
      result.current.more('2', fetch, merge);
      result.current.more('2', fetch, merge);
    });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(result.current.loadingMore).toBe(true);
    await act(async () => page.resolve('page 2'));
    expect(result.current).toMatchObject({ data: ['load 1', 'page 2'], loadingMore: false });

    const late = deferred<string>();
    act(() => result.current.more('3', () => late.promise, merge));
    act(() => result.current.reload());
    await waitFor(() => expect(result.current.data).toEqual(['load 2']));
    await act(async () => late.resolve('page 3 of the old load'));
    expect(result.current.data).toEqual(['load 2']);
  });

  it('loads nothing without a load function', () => {
    const { wrapper } = setup();
    const { result } = renderHook(() => useLoad<string>(null, [null]), { wrapper });
    expect(result.current).toMatchObject({ data: undefined, error: null, loading: false });
  });
});
