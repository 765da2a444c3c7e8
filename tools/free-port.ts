import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * A port on 127.0.0.1 that nothing listens on, for a server a test or benchmark starts next.
 *
 * `listen(0)` would hand out a port from the kernel's ephemeral range, the same range outgoing
 * connections draw from: between the pick and the child process binding it, any connection made
 * on the machine (a database pool, a fetch) could take it, and the child failed with
 * EADDRINUSE. So ports come from below that range, at random, each checked by binding it once;
 * a port given out is not given out again by this process.
 */
const given = new Set<number>();

function ephemeralStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const n = Number(low);
    if (Number.isInteger(n) && n > 12_000) return n;
  } catch {
    // Not Linux: the IANA ephemeral range starts at 49152.
  }
  return 49_152;
}

const HIGH = ephemeralStart();
const LOW = HIGH - 10_000;

const bindable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (given.has(port)) continue;
    given.add(port);
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port in ${LOW}–${HIGH - 1} after 200 tries`);
}
