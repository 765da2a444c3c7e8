import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startTestEngines } from './engines-setup';
import { mysqlReachable } from './mysql-probe';
import { startTestReplication } from './replication-setup';
import { startShared } from './shared-setup';
import { buildDatabaseTemplates, NO_TEMPLATES } from './support/database-templates';

/**
 * Decides once per run which real-server suites can run, and reports afterwards which did.
 * With CI=true an unreachable MariaDB fails the run; locally it is skipped, loudly.
 */
const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306/test';
const banner = (lines: string[]) => {
  const bar = '='.repeat(78);
  console.warn(`\n${bar}\n${lines.map((l) => `  ${l}`).join('\n')}\n${bar}\n`);
};

let markerDir = '';

/** The root of a configuration with projects runs no test file of its own. */
const runsFiles = (project: TestProject) =>
  !project.isRootProject() || project.vitest.projects.every((p) => p === project);

export default async function setup(project: TestProject) {
  const url = process.env.CAREBOOK_TEST_MYSQL_URL ?? DEFAULT_MYSQL_URL;
  const reachable = await mysqlReachable(url, !!process.env.CI);
  if (!reachable.ok) {
    if (process.env.CI) {
      throw new Error(
        `MariaDB is required when CI=true but ${url} is unreachable: ${reachable.error}. ` +
          'Start it (see ../shared/SERVICES.md) or set CAREBOOK_TEST_MYSQL_URL.',
      );
    }
    banner([
      'MARIADB IS NOT REACHABLE — THE MARIADB HALF OF EVERY DATABASE SUITE IS SKIPPED',
      `tried ${url}: ${reachable.error}`,
      'start it (../shared/SERVICES.md) or set CAREBOOK_TEST_MYSQL_URL; CI=true makes this fatal',
    ]);
  }
  markerDir = join(tmpdir(), `carebook-dialect-runs-${process.pid}-${Date.now()}`);
  mkdirSync(markerDir, { recursive: true });
  project.provide('mysqlUrl', reachable.ok ? url : '');
  project.provide('dialectMarkerDir', markerDir);
  // Migrated once per run, beside the engines' start: every fresh test database is a copy. Not
  // for the root of the projects, which runs no file itself (a run of the web project only).
  const [templates, engines, replication] = await Promise.all([
    runsFiles(project)
      ? startShared(
          'carebookDatabaseTemplates',
          () => buildDatabaseTemplates(reachable.ok ? url : ''),
          (built) => built.drop(),
        )
      : { started: { templates: NO_TEMPLATES }, release: async () => {} },
    startTestEngines(project, banner),
    startTestReplication(project, banner),
  ]);
  project.provide('databaseTemplates', templates.started.templates);

  return async () => {
    await Promise.all([engines.stop(), replication.stop(), templates.release()]);
    const counts = new Map<string, number>();
    for (const file of readdirSync(markerDir)) {
      const dialect = readFileSync(join(markerDir, file), 'utf8');
      counts.set(dialect, (counts.get(dialect) ?? 0) + 1);
    }
    rmSync(markerDir, { recursive: true, force: true });
    const summary = [...counts].map(([d, n]) => `${d}: ${n} fresh database(s)`).join(', ') || 'none';
    console.log(
      `\nDatabase suites ran on — ${summary}${reachable.ok ? '' : ' (MariaDB SKIPPED: unreachable)'}\n`,
    );
  };
}
