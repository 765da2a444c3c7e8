/** Returns the first `k` docs of `docs[0..n)` under `before` (a strict "ranks before"), in order. */
export function topK(
  docs: Uint32Array,
  n: number,
  k: number,
  before: (a: number, b: number) => boolean,
): number[] {
  if (k <= 0 || n === 0) return [];
  if (k >= n || n <= 256) {
    const all = Array.from(docs.subarray(0, n));
    all.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    return all.slice(0, k);
  }
  // Max-heap (by rank) of the best k seen so far: heap[0] is the worst of them.
  const heap = new Uint32Array(k);
  let size = 0;
  const siftUp = (i: number) => {
    const x = heap[i] ?? 0;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const px = heap[p] ?? 0;
      if (!before(px, x)) break;
      heap[i] = px;
      i = p;
    }
    heap[i] = x;
  };
  const siftDown = (i: number) => {
    const x = heap[i] ?? 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      let c = l;
      const r = l + 1;
      if (r < size && before(heap[l] ?? 0, heap[r] ?? 0)) c = r;
      const cx = heap[c] ?? 0;
      if (!before(x, cx)) break;
      heap[i] = cx;
      i = c;
    }
    heap[i] = x;
  };
  for (let i = 0; i < n; i++) {
    const d = docs[i] ?? 0;
    if (size < k) {
      heap[size] = d;
      siftUp(size++);
    } else if (before(d, heap[0] ?? 0)) {
      heap[0] = d;
      siftDown(0);
    }
  }
  const out = Array.from(heap.subarray(0, size));
  out.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  return out;
}
