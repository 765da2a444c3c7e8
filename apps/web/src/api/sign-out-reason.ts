/**
 * Why the session ended, when the server said so (a suspension): kept for the sign-in page to
 * show instead of a silent redirect. Per tab (sessionStorage), read once.
 */
const KEY = 'carebook.signOutReason';

export const signOutReason = {
  set(message: string) {
    try {
      sessionStorage.setItem(KEY, message);
    } catch {
      // no storage: the sign-in page simply shows no reason
    }
  },
  take(): string | null {
    try {
      const message = sessionStorage.getItem(KEY);
      sessionStorage.removeItem(KEY);
      return message;
    } catch {
      return null;
    }
  },
};

const ERASING = 'carebook.erasing';

/**
 * The person is deleting their own account (from the confirmation until the sign-in page): the
 * account is suspended and its sessions end while the erasure runs, and the requests that notice
 * must lead to "your account has been deleted", not to "suspended".
 */
export const erasing = {
  start() {
    try {
      sessionStorage.setItem(ERASING, '1');
    } catch {
      // no storage: the sign-in page after the erasure still says so (its URL does)
    }
  },
  stop() {
    try {
      sessionStorage.removeItem(ERASING);
    } catch {
      // nothing to clear
    }
  },
  active(): boolean {
    try {
      return sessionStorage.getItem(ERASING) === '1';
    } catch {
      return false;
    }
  },
};

/** If a 403 says the account is suspended, remembers the server's words and returns true. */
export async function noteSuspension(res: Response): Promise<boolean> {
  if (res.status !== 403) return false;
  try {
    const problem = (await res.clone().json()) as { code?: string; detail?: string };
    if (problem.code !== 'ACCOUNT_SUSPENDED') return false;
    if (erasing.active()) return true;
    signOutReason.set(problem.detail ?? 'This account is suspended.');
    return true;
  } catch {
    return false;
  }
}
