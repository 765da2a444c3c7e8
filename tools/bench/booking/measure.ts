/** What the booking benchmark measures with: percentiles, CPU windows, the optional V8 profile. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

export const percentile = (xs: number[], p: number): number => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
};

/** CPU milliseconds (utime + stime) of a local process, read from /proc (null when unreadable). */
function processCpuMs(pid: number | string): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / 100) * 1000; // USER_HZ ticks
  } catch {
    return null; // not Linux, or gone
  }
}

/**
 * CPU milliseconds of every local MariaDB server by pid, read from /proc (null when there is none
 * or /proc cannot be read). All of them, not the first found: a test's replica or a bench's own
 * server may run beside the shared one, and an idle server adds nothing to the difference.
 */
function mariadbCpuMs(): Map<string, number> | null {
  const found = new Map<string, number>();
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let comm = '';
      try {
        comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      } catch {
        continue;
      }
      if (comm !== 'mariadbd' && comm !== 'mysqld') continue;
      const ms = processCpuMs(pid);
      if (ms !== null) found.set(pid, ms);
    }
  } catch {
    // not Linux, or not allowed to look
  }
  return found.size > 0 ? found : null;
}

/** CPU spent by the servers that ran through the whole window (a server started or stopped in it is left out). */
function mariadbSpent(before: Map<string, number> | null, after: Map<string, number> | null): number | null {
  if (before === null || after === null) return null;
  let spent = 0;
  for (const [pid, ms] of after) {
    const was = before.get(pid);
    if (was !== undefined) spent += ms - was;
  }
  return spent;
}

export interface CpuSpent {
  /** Wall-clock milliseconds of the window. */
  ms: number;
  /** CPU milliseconds of this process: the API with its consumers, or the reference server. */
  processMs: number;
  /** CPU milliseconds of the MariaDB server (null on SQLite or when unreadable). */
  mariadbMs: number | null;
  /** `--split`: CPU milliseconds of the worker process (null without one, or when unreadable). */
  workerMs: number | null;
}

/** Starts a CPU window; the returned function closes it. */
export function cpuWindow(withMariadb: boolean, workerPid?: number): () => CpuSpent {
  const c0 = process.cpuUsage();
  const m0 = withMariadb ? mariadbCpuMs() : null;
  const w0 = workerPid === undefined ? null : processCpuMs(workerPid);
  const t0 = performance.now();
  return () => {
    const c = process.cpuUsage(c0);
    const m1 = withMariadb ? mariadbCpuMs() : null;
    const w1 = workerPid === undefined ? null : processCpuMs(workerPid);
    return {
      ms: performance.now() - t0,
      processMs: (c.user + c.system) / 1000,
      mariadbMs: mariadbSpent(m0, m1),
      workerMs: w0 !== null && w1 !== null ? w1 - w0 : null,
    };
  };
}

/** Runs work under the V8 profiler when dir is given (this process only), writing one profile. */
export async function profiled<T>(
  dir: string | undefined,
  label: string,
  work: () => Promise<T>,
): Promise<T> {
  if (!dir) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  // 100 µs between samples: the hot slot lasts a few hundred milliseconds.
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    const file = `${dir}/booking-${label}-${Date.now()}.cpuprofile`;
    writeFileSync(file, JSON.stringify(profile));
    console.log(`[profile] ${file}`);
    session.disconnect();
  }
}
