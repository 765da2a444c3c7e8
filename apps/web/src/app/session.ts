import type { AuthResult } from '@carebook/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect } from 'react';
import { refreshSession } from '../api/client';
import { api } from '../api/endpoints';
import { tokens } from '../api/tokens';
import { signedIn, signedOut } from './session-slice';
import { useAppDispatch, useAppSelector } from './store';

/** Resumes a stored session once at start-up and follows token loss (a refused refresh). */
export function useSessionBootstrap() {
  const dispatch = useAppDispatch();
  useEffect(() => {
    const unsubscribe = tokens.subscribe((ok) => {
      if (!ok) dispatch(signedOut());
    });
    let cancelled = false;
    (async () => {
      if (!tokens.refresh() || !(await refreshSession())) {
        if (!cancelled) dispatch(signedOut());
        return;
      }
      try {
        const user = await api.me();
        if (!cancelled) dispatch(signedIn(user));
      } catch {
        if (!cancelled) dispatch(signedOut());
      }
    })();
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [dispatch]);
}

export function useSession() {
  const session = useAppSelector((s) => s.session);
  const dispatch = useAppDispatch();
  const queryClient = useQueryClient();
  const accept = useCallback(
    (result: AuthResult) => {
      tokens.set(result.tokens);
      queryClient.removeQueries({ queryKey: ['bookings'] });
      queryClient.removeQueries({ queryKey: ['notifications'] });
      dispatch(signedIn(result.user));
    },
    [dispatch, queryClient],
  );
  const signOut = useCallback(async () => {
    await api.logout().catch(() => undefined);
    tokens.clear();
    queryClient.clear();
    dispatch(signedOut());
  }, [dispatch, queryClient]);
  /** Forgets a session the server already ended (the account was deleted): no logout call. */
  const signOutLocally = useCallback(() => {
    tokens.clear();
    queryClient.clear();
    dispatch(signedOut());
  }, [dispatch, queryClient]);
  /** Re-reads the account (after a change pushed over the WebSocket, e.g. a provider verified). */
  const refreshUser = useCallback(async () => {
    try {
      dispatch(signedIn(await api.me()));
    } catch {
      // the next request or refresh decides whether the session is still good
    }
  }, [dispatch]);
  return { ...session, accept, signOut, signOutLocally, refreshUser };
}
