type Before = (a: number, b: number) => boolean;

/** The best `k` docs pushed so far under `before` (a strict "ranks before"); heap[0] is the worst. */
export class BoundedHeap {
  private readonly heap: Uint32Array;
  size = 0;

  constructor(
    private readonly k: number,
    private readonly before: Before,
  ) {
    this.heap = new Uint32Array(k);
  }

  get full(): boolean {
    return this.size === this.k;
  }

  /** The worst of the kept docs (only meaningful when not empty). */
  get worst(): number {
    return this.heap[0] ?? 0;
  }

  push(d: number): void {
    const { heap, before } = this;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        const px = heap[p] ?? 0;
        if (!before(px, d)) break;
        heap[i] = px;
        i = p;
      }
      heap[i] = d;
      return;
    }
    if (this.k === 0 || !before(d, heap[0] ?? 0)) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      let c = l;
      const r = l + 1;
      if (r < this.size && before(heap[l] ?? 0, heap[r] ?? 0)) c = r;
      const cx = heap[c] ?? 0;
      if (!before(d, cx)) break;
      heap[i] = cx;
      i = c;
    }
    heap[i] = d;
  }

  /** The kept docs, best first. */
  sorted(): number[] {
    const out = Array.from(this.heap.subarray(0, this.size));
    const before = this.before;
    out.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    return out;
  }
}

/**
 * Returns the first `k` docs of `docs[0..n)` under `before`, in order. `after(a, b)`, when given, is
 * a cheap test that `a` certainly ranks after `b` (e.g. a lower score): such docs skip the heap.
 */
export function topK(
  docs: Uint32Array,
  n: number,
  k: number,
  before: Before,
  after?: (a: number, b: number) => boolean,
): number[] {
  if (k <= 0 || n === 0) return [];
  if (k >= n || n <= 256) {
    const all = Array.from(docs.subarray(0, n));
    all.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    return all.slice(0, k);
  }
  const heap = new BoundedHeap(k, before);
  for (let i = 0; i < n; i++) {
    const d = docs[i] ?? 0;
    if (after && heap.full && after(d, heap.worst)) continue;
    heap.push(d);
  }
  return heap.sorted();
}
