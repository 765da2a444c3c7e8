import type { TokenPair } from '@carebook/contracts';

/**
 * Where the session lives in the browser: the access token in memory only, the refresh token in
 * localStorage so a reload (or a new tab) can resume the session. Refresh tokens rotate on every
 * use, so a stolen old one is worthless once used and revokes the family when replayed.
 */
const REFRESH_KEY = 'carebook.refreshToken';

let accessToken: string | null = null;
const listeners = new Set<(signedIn: boolean) => void>();

export const tokens = {
  access: () => accessToken,
  refresh: (): string | null => {
    try {
      return localStorage.getItem(REFRESH_KEY);
    } catch {
      return null;
    }
  },
  set(pair: Pick<TokenPair, 'accessToken' | 'refreshToken'>) {
    accessToken = pair.accessToken;
    try {
      localStorage.setItem(REFRESH_KEY, pair.refreshToken);
    } catch {
      // Private mode without storage: the session lasts as long as the tab.
    }
    for (const l of listeners) l(true);
  },
  clear() {
    const had = accessToken !== null || tokens.refresh() !== null;
    accessToken = null;
    try {
      localStorage.removeItem(REFRESH_KEY);
    } catch {
      // nothing stored
    }
    if (had) for (const l of listeners) l(false);
  },
  /** Told when tokens appear or vanish (e.g. a refresh was refused): the store signs out. */
  subscribe(listener: (signedIn: boolean) => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
