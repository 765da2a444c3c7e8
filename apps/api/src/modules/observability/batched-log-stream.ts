import type pino from 'pino';

type Destination = ReturnType<typeof pino.destination>;

const live = new Set<WeakRef<BatchedLogStream>>();
let exitHookInstalled = false;

/**
 * A log stream in front of pino's asynchronous destination that hands it the lines of one turn of
 * the event loop as one string. Under load a turn answers several requests; written one by one,
 * each line was a `write` on the destination (a measure of its bytes, and a file write queued to
 * libuv's pool whenever none was under way), ~5–10 % of the CPU of a cheap request. Here a line
 * costs a string append, and the turn's lines go out in one write from `setImmediate`, in the order
 * they were logged (every line of the logger goes through here). What is still held when the
 * process exits — a crash included — is written synchronously on `exit`, as pino does for its
 * destination.
 */
export class BatchedLogStream {
  #pending = '';
  #scheduled = false;
  readonly #ref = new WeakRef(this);

  constructor(private readonly dest: Destination) {
    // Streams of apps that are gone (tests build many) leave only their emptied references.
    for (const ref of live) if (ref.deref() === undefined) live.delete(ref);
    live.add(this.#ref);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.once('exit', () => {
        for (const ref of live) ref.deref()?.flushSync();
      });
    }
  }

  write(line: string): boolean {
    this.#pending += line;
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#hand);
    }
    return true;
  }

  /** Writes what is held, and what the destination holds, synchronously. */
  flushSync(): void {
    this.#hand();
    try {
      this.dest.flushSync();
    } catch {
      // Not open yet, or already closed: nothing more can be written.
    }
  }

  readonly #hand = (): void => {
    this.#scheduled = false;
    if (this.#pending === '') return;
    const lines = this.#pending;
    this.#pending = '';
    this.dest.write(lines);
  };
}
