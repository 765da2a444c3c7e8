/**
 * Read-your-writes over the API's read replicas (docs/scaling.md): after a write the API answers
 * with `Carebook-Consistency` (per database, the primary's position after the write); the client
 * keeps the latest position per database and replication domain and sends it back on every
 * request, so a replica serves this browser only once it has caught up with its own writes.
 * Kept in localStorage so other tabs read their sibling's writes too; the value is positions of
 * a log, nothing personal.
 */
export const CONSISTENCY_HEADER = 'carebook-consistency';
const KEY = 'carebook.consistency';
const GTID = /^(\d{1,10})-(\d{1,10})-(\d{1,20})$/;

let memory: string | null = null;

export function consistencyToken(): string | null {
  try {
    return localStorage.getItem(KEY) ?? memory;
  } catch {
    return memory;
  }
}

/** Merges the token of a response into the one held (later position per database and domain). */
export function rememberConsistency(header: string | null): void {
  if (!header) return;
  const merged = mergeTokens(consistencyToken(), header);
  memory = merged;
  try {
    localStorage.setItem(KEY, merged);
  } catch {
    // No storage (private mode): this tab keeps it in memory.
  }
}

type Parsed = Map<string, Map<string, { server: string; seq: bigint }>>;

function parse(token: string | null, into: Parsed = new Map()): Parsed {
  for (const part of (token ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const domains = into.get(name) ?? new Map();
    for (const gtid of part.slice(eq + 1).split(',')) {
      const m = GTID.exec(gtid.trim());
      if (!m) continue;
      const [, domain = '', server = '', seq = '0'] = m;
      const have = domains.get(domain);
      if (!have || have.seq < BigInt(seq)) domains.set(domain, { server, seq: BigInt(seq) });
    }
    if (domains.size > 0) into.set(name, domains);
  }
  return into;
}

/** Pure: both tokens as one, the later position per database and domain. */
export function mergeTokens(held: string | null, received: string): string {
  const merged = parse(received, parse(held));
  return [...merged]
    .map(
      ([name, domains]) =>
        `${name}=${[...domains]
          .sort(([a], [b]) => Number(a) - Number(b))
          .map(([d, g]) => `${d}-${g.server}-${g.seq}`)
          .join(',')}`,
    )
    .join(';');
}
