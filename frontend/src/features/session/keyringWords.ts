/** What the setup screen says when the OS keyring cannot hold the master key, per OS. */
export interface KeyringWords {
  /** The keyring's name as people on that OS know it. */
  store: string;
  /** Why it might be missing, in user terms. */
  why: string;
  /** How to make it available. */
  fix: string;
}

/** The problem text says the keyring did not answer in time (it is probably locked). */
function locked(problem: string): boolean {
  return /no answer within|locked/i.test(problem);
}

export function keyringWords(os: string, problem: string): KeyringWords {
  switch (os) {
    case 'darwin':
      return {
        store: 'your login Keychain',
        why: 'macOS did not let Hostbound use it; the Keychain may be locked.',
        fix: 'Unlock the login Keychain in Keychain Access (or log in to macOS again), then restart Hostbound.',
      };
    case 'windows':
      return {
        store: 'Windows Credential Manager',
        why: 'Windows did not let Hostbound use it, which happens when Hostbound runs under a service or another account.',
        fix: 'Start Hostbound from your own Windows account, then restart it.',
      };
    default:
      return locked(problem)
        ? {
            store: "your desktop's password store (GNOME Keyring or KDE Wallet)",
            why: 'It did not answer; it is probably locked.',
            fix: 'Unlock it (in "Passwords and Keys", or by logging in to the desktop again), then restart Hostbound.',
          }
        : {
            store: "your desktop's password store (GNOME Keyring or KDE Wallet)",
            why: 'None is running for this session: Hostbound may have been started outside a desktop session (over SSH, in a container), or no password store is installed.',
            fix: 'Log in to a desktop session that runs GNOME Keyring or KDE Wallet (on Debian or Ubuntu: sudo apt install gnome-keyring), then restart Hostbound.',
          };
  }
}
