import { randomFillSync } from 'node:crypto';

/**
 * Random words and bytes from the system CSPRNG, drawn from a 4 KiB pool that one `randomFillSync`
 * fills when it is used up (Node's own `randomUUID` keeps such a cache). A call per id or per IV
 * costs more than the work it feeds: ~5 % of a `/healthz` request for the request id, ~3 % of a
 * booking's CPU for the record ids and the sealing IVs (`npm run bench -- booking`).
 *
 * Only for values that are public once used (ids, IVs): never for keys or tokens, whose bytes
 * would otherwise sit in the pool beside others' until it is dropped.
 */
export class RandomPool {
  private pool = Buffer.alloc(0);
  private cursor = 0;

  constructor(private readonly size = 4096) {}

  private take(n: number): number {
    if (this.cursor + n > this.pool.length) {
      // A new buffer each time, never refilled in place: a view handed out stays as it was.
      this.pool = randomFillSync(Buffer.allocUnsafeSlow(Math.max(this.size, n)));
      this.cursor = 0;
    }
    const at = this.cursor;
    this.cursor += n;
    return at;
  }

  /** `n` fresh bytes, a view on the pool: read it, do not keep it for long. */
  bytes(n: number): Buffer {
    const at = this.take(n);
    return this.pool.subarray(at, at + n);
  }

  /** A uniformly random 32-bit unsigned integer (uuidv7's generator interface). */
  nextUint32(): number {
    const at = this.take(4); // first: it may replace the pool
    return this.pool.readUInt32LE(at);
  }
}
