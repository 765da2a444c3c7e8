import type { TestProject } from 'vitest/node';
import { MariadbReplication, replicationPrerequisites } from './support/mariadb-replication';

/**
 * The run's own MariaDB primary and replica (test/support/mariadb-replication.ts): started once,
 * here, when the run includes a file that needs them, and stopped at the end. Tests read
 * `inject('replication')` (a ReplicationInfo, or null with `replicationSkipReason` saying why).
 * With CI=true a missing binary or a failed start fails the run.
 */
const NEEDS_REPLICATION = ['apps/api/src/db/replication/replicas.mariadb'];

function runNeedsReplication(project: TestProject): boolean {
  const mode = process.env.CAREBOOK_REPLICATION;
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  if (!filters || filters.length === 0) return true;
  return filters.some((f) => {
    const filter = f.replace(/^\.\//, '');
    return NEEDS_REPLICATION.some((path) => path.includes(filter) || filter.includes(path));
  });
}

interface Started {
  pair: MariadbReplication | null;
  reason: string;
}

/** The global setup runs for the root and the `api` project in one process: one pair for both. */
const shared = globalThis as { carebookReplication?: { started: Promise<Started>; users: number } };

export async function startTestReplication(
  project: TestProject,
  banner: (lines: string[]) => void,
): Promise<{ stop(): Promise<void> }> {
  shared.carebookReplication ??= { started: start(project, banner), users: 0 };
  const entry = shared.carebookReplication;
  entry.users++;
  const started = await entry.started;
  project.provide('replication', started.pair?.info ?? null);
  project.provide('replicationSkipReason', started.reason);
  return {
    async stop() {
      if (--entry.users > 0) return;
      shared.carebookReplication = undefined;
      if (started.pair) {
        await started.pair.destroy();
        console.log('\n[replication] MariaDB primary and replica stopped\n');
      }
    },
  };
}

async function start(project: TestProject, banner: (lines: string[]) => void): Promise<Started> {
  if (!runNeedsReplication(project)) return { pair: null, reason: 'no file of this run needs them' };
  let reason = replicationPrerequisites();
  if (!reason) {
    try {
      return { pair: await MariadbReplication.start((l) => console.log(`[replication] ${l}`)), reason: '' };
    } catch (err) {
      reason = `start failed: ${(err as Error).message}`;
    }
  }
  if (process.env.CI) throw new Error(`The MariaDB primary/replica pair is required when CI=true: ${reason}`);
  banner([
    'MARIADB REPLICATION IS NOT AVAILABLE — THE REPLICA SUITES ARE SKIPPED',
    reason,
    'install mariadb-server (mariadbd, mariadb-install-db); CI=true makes this fatal',
  ]);
  return { pair: null, reason };
}
