/**
 * Concurrent loads of one key share one promise, but only while nothing was invalidated between
 * their starts: a call joins the running load only if it saw the same snapshot of the freshness
 * tokens (see base.ts). Used by every cache layer's `getOrLoad`.
 */
export class SingleFlight {
  private readonly flights = new Map<string, { snapshot: string; promise: Promise<unknown> }>();

  /** The running load of `key` from the same `snapshot` (then `joined` is called), else `start()`'s. */
  run<T>(key: string, snapshot: readonly string[], start: () => Promise<T>, joined: () => void): Promise<T> {
    const seen = JSON.stringify(snapshot);
    const running = this.flights.get(key);
    if (running && running.snapshot === seen) {
      joined();
      return running.promise as Promise<T>;
    }
    const promise = start();
    const flight = { snapshot: seen, promise };
    this.flights.set(key, flight);
    const land = () => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    };
    promise.then(land, land);
    return promise;
  }
}
