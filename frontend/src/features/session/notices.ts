/** The login notice after a session ended for inactivity. */
export function inactivityNotice(idleTimeoutSeconds: number): string {
  if (!idleTimeoutSeconds || idleTimeoutSeconds <= 0) {
    return 'Your session ended after a period of inactivity.';
  }
  if (idleTimeoutSeconds % 60 === 0) {
    const minutes = idleTimeoutSeconds / 60;
    return `Your session ended after ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} of inactivity.`;
  }
  return `Your session ended after ${idleTimeoutSeconds} seconds of inactivity.`;
}
