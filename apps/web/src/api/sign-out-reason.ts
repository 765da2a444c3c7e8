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

/** If a 403 says the account is suspended, remembers the server's words and returns true. */
export async function noteSuspension(res: Response): Promise<boolean> {
  if (res.status !== 403) return false;
  try {
    const problem = (await res.clone().json()) as { code?: string; detail?: string };
    if (problem.code !== 'ACCOUNT_SUSPENDED') return false;
    signOutReason.set(problem.detail ?? 'This account is suspended.');
    return true;
  } catch {
    return false;
  }
}
