/** Passwords and passphrases: the backend's minimum length. */
export const MIN_SECRET_LENGTH = 12;

/** Length in characters (code points), as the backend counts. */
export function charCount(s: string): number {
  return [...s].length;
}
