import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { refreshSession } from '../api/client';
import { tokens } from '../api/tokens';
import { keys } from './query-client';

export interface LiveEvent {
  type: string;
  eventId: string;
  at: string;
  bookingId: string;
  providerId: string;
  from: string | null;
  status: string;
  start: string;
  end: string;
  version: number;
}

export type LiveState = 'off' | 'connecting' | 'live' | 'reconnecting';

/** Applies one pushed event: the booking's queries and lists are refetched, once per eventId. */
export function applyLiveEvent(queryClient: QueryClient, event: LiveEvent, seen: Set<string>): boolean {
  if (seen.has(event.eventId)) return false;
  seen.add(event.eventId);
  if (seen.size > 500) seen.delete(seen.values().next().value as string);
  queryClient.invalidateQueries({ queryKey: keys.bookings });
  queryClient.invalidateQueries({ queryKey: keys.notifications });
  queryClient.invalidateQueries({ queryKey: keys.waitlist });
  queryClient.invalidateQueries({ queryKey: ['availability', event.providerId] });
  return true;
}

/**
 * One WebSocket per signed-in tab. The first message authenticates (the token never goes in a
 * URL); events invalidate TanStack queries, which refetch what is on screen. On a drop it
 * reconnects with backoff and refetches every booking query, which covers anything missed.
 */
export function useLiveUpdates(enabled: boolean, onAccountChanged?: () => void): LiveState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>('off');
  useEffect(() => {
    if (!enabled || typeof WebSocket === 'undefined') {
      setState('off');
      return;
    }
    let socket: WebSocket | null = null;
    let stopped = false;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let ping: ReturnType<typeof setInterval> | undefined;
    const seen = new Set<string>();

    const connect = () => {
      if (stopped) return;
      setState(attempt === 0 ? 'connecting' : 'reconnecting');
      const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/ws`;
      const ws = new WebSocket(url);
      socket = ws;
      ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token: tokens.access() ?? '' }));
      ws.onmessage = (msg) => {
        let data: { type?: string; code?: string };
        try {
          data = JSON.parse(String(msg.data));
        } catch {
          return;
        }
        if (data.type === 'ready') {
          if (attempt > 0) queryClient.invalidateQueries({ queryKey: keys.bookings });
          attempt = 0;
          setState('live');
          ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('{"type":"ping"}'), 25_000);
        } else if (data.type?.startsWith('booking.')) {
          applyLiveEvent(queryClient, data as LiveEvent, seen);
        } else if (data.type === 'account.changed') {
          // e.g. an admin has just verified this provider: show it without signing out.
          onAccountChanged?.();
        } else if (data.type === 'error' && data.code !== 'FORBIDDEN') {
          void refreshSession();
        }
      };
      ws.onclose = () => {
        clearInterval(ping);
        if (stopped) return;
        attempt += 1;
        setState('reconnecting');
        timer = setTimeout(connect, Math.min(15_000, 500 * 2 ** Math.min(attempt, 5)));
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      clearInterval(ping);
      socket?.close();
    };
  }, [enabled, queryClient, onAccountChanged]);
  return state;
}
