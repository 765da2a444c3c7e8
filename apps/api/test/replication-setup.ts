import type { TestProject } from 'vitest/node';
import { runSelects, startShared } from './shared-setup';
import { MariadbReplication, replicationPrerequisites } from './support/mariadb-replication';

/**
 * The run's own MariaDB primary and replica (test/support/mariadb-replication.ts): started once,
 * here, when the run includes a file that needs them, and stopped at the end. Tests read
 * `inject('replication')` (a ReplicationInfo, or null with `replicationSkipReason` saying why).
 * With CI=true a missing binary or a failed start fails the run.
 */
const NEEDS_REPLICATION = [
  'apps/api/src/db/replication/replicas.mariadb',
  'apps/api/src/db/replication/exports.replicas.mariadb',
];

interface Started {
  pair: MariadbReplication | null;
  reason: string;
}

export async function startTestReplication(
  project: TestProject,
  banner: (lines: string[]) => void,
): Promise<{ stop(): Promise<void> }> {
  const { started, release } = await startShared(
    'carebookReplication',
    () => start(project, banner),
    async ({ pair }) => {
      if (!pair) return;
      await pair.destroy();
      console.log('\n[replication] MariaDB primary and replica stopped\n');
    },
  );
  project.provide('replication', started.pair?.info ?? null);
  project.provide('replicationSkipReason', started.reason);
  return { stop: release };
}

async function start(project: TestProject, banner: (lines: string[]) => void): Promise<Started> {
  if (!runSelects(project, process.env.CAREBOOK_REPLICATION, NEEDS_REPLICATION))
    return { pair: null, reason: 'no file of this run needs them' };
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
