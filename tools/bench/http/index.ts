/**
 * `npm run bench -- http [--seconds 5] [--rounds 3] [--connections 20] [--cpu-prof DIR]
 *   [--only healthz|provider|cached|distinct[,…]] [--rate N]`:
 * per-request overhead. A Fastify hello-world and Carebook (embedded profile, SQLite, demo data),
 * each in its own process, are loaded with autocannon one after the other, alternating, in each
 * round: /healthz, a provider read, one repeated (cached) search and a mix of distinct searches.
 * Prints req/s and p99 per run and the ratio to the hello-world measured in the same round; the
 * verdict uses the median ratio over the rounds and the spread (min–max) is shown beside it.
 * Beside it, where /proc exists, each server's CPU time per request and the CPU ratio (the
 * hello-world's CPU per request ÷ Carebook's), which the other tenants of a loaded machine disturb
 * far less than requests per second.
 * --cpu-prof DIR runs Carebook under `node --cpu-prof` (profile written to DIR when it stops).
 * --rate N offers both servers the same fixed load (N req/s over all connections) instead of as
 * many as they answer: the CPU per request of two versions of the code can then be compared on a
 * loaded machine (at the same rate each does the same work; the req/s ratio means nothing then).
 */
import autocannon from 'autocannon';
import { distinctSearch, type Endpoint, endpoints } from './endpoints';
import { processCpuSeconds } from './process-cpu';
import { type Running, startCarebook, startHello } from './servers';

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};
const seconds = Number(opt('seconds', '5'));
const rounds = Number(opt('rounds', '3'));
const connections = Number(opt('connections', '20'));
const profDir = opt('cpu-prof', '');
const only = opt('only', '');
const rate = Number(opt('rate', '0'));

interface Run {
  rps: number;
  p99: number;
  errors: number;
  /** The server's CPU time per answered request (µs), from /proc; null without it. */
  cpuUs: number | null;
}

async function load(server: Running, e: Endpoint): Promise<Run> {
  const cpuBefore = processCpuSeconds(server.pid);
  const result = await autocannon({
    url: server.baseUrl,
    connections,
    duration: seconds,
    ...(rate > 0 ? { overallRate: rate } : {}),
    // As a browser asks: responses over the compression threshold are compressed (and measured so).
    headers: { 'accept-encoding': 'gzip, deflate, br' },
    ...(e.path ? { requests: [{ method: 'GET', path: e.path }] } : {}),
    ...(e.paths
      ? {
          requests: [
            {
              method: 'GET',
              setupRequest: (req: { path?: string }) => ({ ...req, path: e.paths?.() ?? '/' }),
            },
          ],
        }
      : {}),
  });
  const cpuAfter = processCpuSeconds(server.pid);
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    cpuUs:
      cpuBefore === null || cpuAfter === null || result.requests.total === 0
        ? null
        : ((cpuAfter - cpuBefore) * 1e6) / result.requests.total,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

async function main(): Promise<void> {
  console.log(
    `http bench: ${connections} connections, ${seconds} s per run, ${rounds} rounds (hello-world and carebook alternate)${rate > 0 ? `, fixed rate ${rate} req/s` : ''}`,
  );
  const carebookArgs = profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [];
  const [hello, carebook]: [Running, Running] = await Promise.all([
    startHello(),
    startCarebook(carebookArgs),
  ]);
  try {
    const list = (await endpoints(carebook.baseUrl)).filter(
      (e) => !only || only.split(',').some((o) => e.name.startsWith(o)),
    );
    const ratios = new Map<string, number[]>();
    const cpuRatios = new Map<string, number[]>();
    for (let round = 1; round <= rounds; round++) {
      for (const e of list) {
        // A fresh generator per run: the distinct mix never repeats a query within the run.
        const mine = e.paths ? { ...e, paths: distinctSearch(round) } : e;
        const h = await load(hello, e.paths ? { name: e.name, path: '/x', target: e.target } : e);
        const c = await load(carebook, mine);
        const ratio = c.rps / h.rps;
        ratios.set(e.name, [...(ratios.get(e.name) ?? []), ratio]);
        const cpuRatio = h.cpuUs !== null && c.cpuUs ? h.cpuUs / c.cpuUs : null;
        if (cpuRatio !== null) cpuRatios.set(e.name, [...(cpuRatios.get(e.name) ?? []), cpuRatio]);
        const cpu = (r: Run) => (r.cpuUs === null ? '' : ` ${r.cpuUs.toFixed(0).padStart(4)} µs CPU/req`);
        console.log(
          `  round ${round} ${e.name.padEnd(16)} hello ${h.rps.toFixed(0).padStart(6)} req/s p99 ${String(h.p99).padStart(3)} ms${cpu(h)} | carebook ${c.rps.toFixed(0).padStart(6)} req/s p99 ${String(c.p99).padStart(3)} ms${cpu(c)}${c.errors ? ` (${c.errors} errors)` : ''} | ${ratio.toFixed(3)}×${cpuRatio === null ? '' : ` (CPU ${cpuRatio.toFixed(3)}×)`}`,
        );
      }
    }
    console.log('');
    for (const e of list) {
      const rs = ratios.get(e.name) ?? [];
      const m = median(rs);
      const cs = cpuRatios.get(e.name) ?? [];
      console.log(
        `${e.name.padEnd(16)} ${m.toFixed(3)}× (spread ${Math.min(...rs).toFixed(3)}–${Math.max(...rs).toFixed(3)})  target ≥ ${e.target}×  ${rate > 0 ? 'no verdict at a fixed rate' : m >= e.target ? 'MET' : 'MISSED'}${cs.length ? `  | CPU ratio ${median(cs).toFixed(3)}× (spread ${Math.min(...cs).toFixed(3)}–${Math.max(...cs).toFixed(3)})` : ''}`,
      );
    }
  } finally {
    await Promise.all([hello.stop(), carebook.stop()]);
  }
  if (profDir) console.log(`carebook CPU profile written to ${profDir}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
