const ENTRIES = 512;
/** Longer query strings are not remembered (they are rare, and each entry keeps its string). */
const MAX_QUERY_LENGTH = 1024;
const MINUTE_MS = 60_000;

interface Entry {
  minute: number;
  version: number;
  key: string;
}

/**
 * The cache key a search's query string led to, per minute and index version: the key is a pure
 * function of the request (its interpretation, the normalised index query) and of the minute
 * (relative filters use it) and the index version, and the request is a pure function of the query
 * string (parsing, coercion and defaults). A repeat of a query string in the same minute and
 * version has the key without interpreting and normalising the request again. A small LRU; a
 * query string that failed validation never reaches it.
 */
export class SearchKeyMemo {
  private readonly entries = new Map<string, Entry>();

  lookup(rawQuery: string | undefined, now: number, version: number): string | undefined {
    if (rawQuery === undefined) return undefined;
    const entry = this.entries.get(rawQuery);
    if (entry === undefined || entry.version !== version || entry.minute !== minuteOf(now)) return undefined;
    return entry.key;
  }

  remember(rawQuery: string | undefined, now: number, version: number, key: string): void {
    if (rawQuery === undefined || rawQuery.length > MAX_QUERY_LENGTH) return;
    this.entries.delete(rawQuery);
    if (this.entries.size >= ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(rawQuery, { minute: minuteOf(now), version, key });
  }
}

const minuteOf = (ms: number) => Math.floor(ms / MINUTE_MS);
