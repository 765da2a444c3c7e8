import { useEffect, useState } from 'react';

/** Below this width the week is a list of days, not a time grid. */
export const NARROW_QUERY = '(max-width: 640px)';

const matches = () => typeof window.matchMedia === 'function' && window.matchMedia(NARROW_QUERY).matches;

/** True on narrow screens (phones at 375 px); follows the window as it is resized. */
export function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(matches);
  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return;
    const query = window.matchMedia(NARROW_QUERY);
    const update = () => setNarrow(query.matches);
    update();
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);
  return narrow;
}
