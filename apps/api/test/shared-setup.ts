import type { TestProject } from 'vitest/node';

/**
 * Whether this run needs a server its global setup may start: `always`/`never` from the named
 * environment variable, else whether the files the run selected (vitest's CLI filters; internal
 * but stable) include one of `paths` — a run without filters selects every file.
 */
export function runSelects(
  project: TestProject,
  mode: string | undefined,
  paths: readonly string[],
): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  if (!filters || filters.length === 0) return true;
  return filters.some((f) => {
    const filter = f.replace(/^\.\//, '');
    return paths.some((path) => path.includes(filter) || filter.includes(path));
  });
}

type Entry<T> = { started: Promise<T>; users: number };

/**
 * Vitest runs the global setup once for the root and once for the `api` project, in one process:
 * what `start` starts is shared through globalThis under `key`, and `stop` runs when the last
 * user releases it.
 */
export async function startShared<T>(
  key: string,
  start: () => Promise<T>,
  stop: (started: T) => Promise<void>,
): Promise<{ started: T; release(): Promise<void> }> {
  const shared = globalThis as unknown as Record<string, Entry<T> | undefined>;
  shared[key] ??= { started: start(), users: 0 };
  const entry = shared[key];
  entry.users++;
  const started = await entry.started;
  return {
    started,
    async release() {
      if (--entry.users > 0) return;
      shared[key] = undefined;
      await stop(started);
    },
  };
}
