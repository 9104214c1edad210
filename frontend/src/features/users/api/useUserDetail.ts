import { useLoad } from '../../../hooks/useLoad';
import { api } from '../../../lib/wails';

/** Loads one user for an edit form; username null (adding) loads nothing. */
export function useUserDetail(username: string | null) {
  const { data, error } = useLoad(username === null ? null : () => api.getUser(username), [username]);
  return { detail: data ?? null, loadError: error };
}
