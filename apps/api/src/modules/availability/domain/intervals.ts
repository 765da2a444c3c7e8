import type { Interval } from './types';

/** Sorts and merges overlapping or touching intervals; drops empty ones. Returns new objects. */
export function mergeIntervals(intervals: Iterable<Interval>): Interval[] {
  const sorted = [...intervals].filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const { start, end } of sorted) {
    const last = out[out.length - 1];
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else out.push({ start, end });
  }
  return out;
}

/**
 * In merged, sorted `blocked`, the first interval intersecting `[start, end)`, or undefined.
 * Binary search: O(log n).
 */
export function firstIntersecting(
  blocked: readonly Interval[],
  start: number,
  end: number,
): Interval | undefined {
  let lo = 0;
  let hi = blocked.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((blocked[mid] as Interval).end <= start) lo = mid + 1;
    else hi = mid;
  }
  const candidate = blocked[lo];
  return candidate && candidate.start < end ? candidate : undefined;
}
