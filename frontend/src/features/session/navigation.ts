import { createContext, useContext } from 'react';
import type { AuditFilter, KeyStatus, UserKind } from '../../lib/wails';

/** The pages of the logged-in app. */
export type Page = 'home' | 'resources' | 'users' | 'roles' | 'audit' | 'reports' | 'settings';

/** What a link into the Users list filters it by (everything optional). */
export interface UsersListFilter {
  search?: string;
  kind?: UserKind;
  keyStatus?: KeyStatus;
  /** Keys that expire within this many days from now (and have not yet). */
  expiringWithinDays?: number;
  /** Keys not used for the idle period of the reports. */
  idle?: boolean;
}

/** Where a link goes: a page, and for the lists the filter it opens with. */
export interface NavTarget {
  page: Page;
  users?: UsersListFilter;
  audit?: Partial<AuditFilter>;
}

export const NavigationContext = createContext<(target: NavTarget) => void>(() => {});

/** navigate(target) opens a page (a list with its filter) from anywhere in the app. */
export function useNavigate(): (target: NavTarget) => void {
  return useContext(NavigationContext);
}
