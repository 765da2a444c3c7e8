/**
 * Compact, growable character trie over the term vocabulary. Nodes live in parallel typed arrays
 * (first-child / next-sibling encoding), so the structure costs ~14 bytes per node and no objects.
 *
 * `fuzzy()` walks the trie with a bounded Damerau–Levenshtein (OSA) dynamic programme: one DP row
 * per depth, pruned as soon as every cell of a row exceeds the edit budget. This is the
 * Levenshtein-automaton walk: cost grows with the number of trie nodes within the edit budget,
 * not with the vocabulary size.
 */

const MAX_DEPTH = 64;

export interface TermMatch {
  term: number;
  distance: number;
  /** True when the term only matched as a completion of the query word. */
  prefix: boolean;
}

export class Trie {
  private ch = new Uint16Array(1024);
  private child = new Int32Array(1024).fill(-1);
  private next = new Int32Array(1024).fill(-1);
  private term = new Int32Array(1024).fill(-1);
  private nodes = 1;
  // DP scratch
  private rows = new Int32Array((MAX_DEPTH + 2) * (MAX_DEPTH + 2));
  private path = new Uint16Array(MAX_DEPTH + 2);

  get nodeCount(): number {
    return this.nodes;
  }

  insert(word: string, termId: number): void {
    if (word.length > MAX_DEPTH) return;
    let node = 0;
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      let k = this.child[node] ?? -1;
      let prev = -1;
      while (k !== -1 && this.ch[k] !== c) {
        prev = k;
        k = this.next[k] ?? -1;
      }
      if (k === -1) {
        k = this.alloc(c);
        if (prev === -1) this.child[node] = k;
        else this.next[prev] = k;
      }
      node = k;
    }
    this.term[node] = termId;
  }

  private alloc(c: number): number {
    if (this.nodes === this.ch.length) {
      const cap = this.nodes * 2;
      this.ch = grow(this.ch, new Uint16Array(cap));
      this.child = grow(this.child, new Int32Array(cap).fill(-1));
      this.next = grow(this.next, new Int32Array(cap).fill(-1));
      this.term = grow(this.term, new Int32Array(cap).fill(-1));
    }
    const k = this.nodes++;
    this.ch[k] = c;
    return k;
  }

  /** Node reached by `prefix`, or -1. */
  private find(prefix: string): number {
    let node = 0;
    for (let i = 0; i < prefix.length && node !== -1; i++) {
      const c = prefix.charCodeAt(i);
      let k = this.child[node] ?? -1;
      while (k !== -1 && this.ch[k] !== c) k = this.next[k] ?? -1;
      node = k;
    }
    return node;
  }

  /** Calls `visit` for every term below `prefix` until it returns false. */
  completions(prefix: string, visit: (term: number) => boolean): void {
    const node = this.find(prefix);
    if (node !== -1) this.walkSubtree(node, visit);
  }

  private walkSubtree(node: number, visit: (term: number) => boolean): boolean {
    const t = this.term[node] ?? -1;
    if (t !== -1 && !visit(t)) return false;
    for (let k = this.child[node] ?? -1; k !== -1; k = this.next[k] ?? -1) {
      if (!this.walkSubtree(k, visit)) return false;
    }
    return true;
  }

  /**
   * Terms within `maxEdits` of `word`. With `prefix`, terms that extend a string within
   * `prefixEdits` of `word` also match (distance = best prefix distance). `limit` caps the output.
   */
  fuzzy(word: string, maxEdits: number, prefix: boolean, limit: number, prefixEdits = maxEdits): TermMatch[] {
    const out: TermMatch[] = [];
    const n = word.length;
    if (n === 0 || n > MAX_DEPTH) return out;
    const q = new Uint16Array(n);
    for (let i = 0; i < n; i++) q[i] = word.charCodeAt(i);
    const w = n + 1;
    const rows = this.rows;
    for (let j = 0; j <= n; j++) rows[j] = j;
    const seen = new Map<number, number>();
    const emit = (term: number, distance: number, isPrefix: boolean): boolean => {
      const idx = seen.get(term);
      if (idx === undefined) {
        seen.set(term, out.length);
        out.push({ term, distance, prefix: isPrefix });
      } else {
        const m = out[idx];
        if (m && (distance < m.distance || (distance === m.distance && !isPrefix))) {
          m.distance = distance;
          m.prefix = isPrefix;
        }
      }
      return out.length < limit;
    };
    const rec = (node: number, depth: number, bestPrefix: number): boolean => {
      for (let k = this.child[node] ?? -1; k !== -1; k = this.next[k] ?? -1) {
        const c = this.ch[k] ?? 0;
        const d = depth + 1;
        if (d > MAX_DEPTH) continue;
        this.path[d] = c;
        const cur = d * w;
        const prv = depth * w;
        const pp = (depth - 1) * w;
        rows[cur] = d;
        let rowMin = d;
        for (let j = 1; j <= n; j++) {
          const cost = q[j - 1] === c ? 0 : 1;
          let v = (rows[prv + j] ?? 0) + 1;
          const ins = (rows[cur + j - 1] ?? 0) + 1;
          if (ins < v) v = ins;
          const sub = (rows[prv + j - 1] ?? 0) + cost;
          if (sub < v) v = sub;
          if (depth >= 1 && j > 1 && q[j - 1] === this.path[depth] && q[j - 2] === c) {
            const tr = (rows[pp + j - 2] ?? 0) + 1;
            if (tr < v) v = tr;
          }
          rows[cur + j] = v;
          if (v < rowMin) rowMin = v;
        }
        const full = rows[cur + n] ?? 0;
        const bp = prefix && full < bestPrefix ? full : bestPrefix;
        const t = this.term[k] ?? -1;
        if (t !== -1) {
          const asPrefix = prefix && bp <= prefixEdits;
          if (asPrefix && bp < full) {
            if (!emit(t, bp, true)) return false;
          } else if (full <= maxEdits) {
            if (!emit(t, full, false)) return false;
          } else if (asPrefix && !emit(t, bp, true)) return false;
        }
        if (rowMin <= maxEdits) {
          if (!rec(k, d, bp)) return false;
        } else if (prefix && bp <= prefixEdits) {
          // No further DP needed: every term below extends a prefix within budget.
          let ok = true;
          for (let g = this.child[k] ?? -1; g !== -1 && ok; g = this.next[g] ?? -1) {
            ok = this.walkSubtree(g, (term) => emit(term, bp, true));
          }
          if (!ok) return false;
        }
      }
      return true;
    };
    rec(0, 0, prefix && n <= prefixEdits ? n : Number.POSITIVE_INFINITY);
    return out;
  }
}

function grow<T extends Uint16Array | Int32Array>(old: T, bigger: T): T {
  bigger.set(old);
  return bigger;
}
