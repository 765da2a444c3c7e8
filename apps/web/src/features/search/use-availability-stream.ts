import type { AvailabilityChange } from '@carebook/contracts';
import { useEffect, useRef } from 'react';

/**
 * Follows the public availability stream (`GET /api/v1/availability/stream`, Server-Sent Events)
 * for the given listings, signed in or not. Each event names a listing and the changed time
 * range, never who booked. The browser's EventSource reconnects by itself; a reconnect calls
 * `onChange` for nothing, so callers refetch what they show when `onReconnect` fires.
 */
export function useAvailabilityStream(
  listingIds: readonly string[],
  onChange: (change: AvailabilityChange) => void,
  onReconnect?: () => void,
): void {
  const key = [...new Set(listingIds)].sort().slice(0, 50).join(',');
  const handlers = useRef({ onChange, onReconnect });
  handlers.current = { onChange, onReconnect };
  useEffect(() => {
    if (!key || typeof EventSource === 'undefined') return;
    const source = new EventSource(`/api/v1/availability/stream?listings=${key}`);
    let opened = false;
    source.addEventListener('open', () => {
      if (opened) handlers.current.onReconnect?.();
      opened = true;
    });
    source.addEventListener('availability', (e) => {
      try {
        handlers.current.onChange(JSON.parse((e as MessageEvent<string>).data) as AvailabilityChange);
      } catch {
        // a malformed event is ignored; the next one still arrives
      }
    });
    return () => source.close();
  }, [key]);
}
