/**
 * A reusable bitset over internal doc ids (one bit per slot). Used to build sorted candidate lists
 * from unsorted unions of posting lists, and for O(1) membership tests of a match set. `drain`
 * extracts the set bits in ascending order and clears only the words it touched.
 */
export class DocBits {
  words = new Int32Array(0);
  private lo = Number.MAX_SAFE_INTEGER;
  private hi = -1;

  ensure(slots: number): void {
    const n = (slots + 31) >>> 5;
    if (n > this.words.length) this.words = new Int32Array(Math.max(n, Math.ceil(this.words.length * 1.5)));
  }

  set(doc: number): void {
    const w = doc >>> 5;
    this.words[w] = (this.words[w] ?? 0) | (1 << (doc & 31));
    if (w < this.lo) this.lo = w;
    if (w > this.hi) this.hi = w;
  }

  has(doc: number): boolean {
    return (((this.words[doc >>> 5] ?? 0) >>> (doc & 31)) & 1) === 1;
  }

  /** Writes the set bits in ascending order to `out[0..)`, clears the set, returns the count. */
  drain(out: Uint32Array): number {
    const words = this.words;
    let n = 0;
    for (let w = this.lo; w <= this.hi; w++) {
      let x = words[w] ?? 0;
      if (x === 0) continue;
      words[w] = 0;
      const base = w << 5;
      while (x !== 0) {
        const t = x & -x;
        out[n++] = base + 31 - Math.clz32(t);
        x ^= t;
      }
    }
    this.lo = Number.MAX_SAFE_INTEGER;
    this.hi = -1;
    return n;
  }

  /** Clears every bit (only the touched range). */
  clear(): void {
    if (this.hi >= this.lo) this.words.fill(0, this.lo, this.hi + 1);
    this.lo = Number.MAX_SAFE_INTEGER;
    this.hi = -1;
  }
}
