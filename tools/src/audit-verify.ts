import { ConfigError, loadConfig, loadDotEnv, redactUrl } from '../../apps/api/src/config/config';
import { closeDatabases, openDatabases } from '../../apps/api/src/db/open-databases';
import { AuditRepository } from '../../apps/api/src/modules/audit/audit.repository';
import { verifyAuditChain } from '../../apps/api/src/modules/audit/audit-verify';

/**
 * `npm run audit:verify`: recomputes the audit trail's hash chain from its first row and reports
 * the first broken link (an altered, deleted or smuggled-in row). Exit code 0 when the chain
 * holds, 2 when it is broken, 1 on any other failure. Read-only; safe while the API runs.
 */
loadDotEnv();
try {
  const config = loadConfig();
  const dbs = openDatabases(config);
  try {
    const started = performance.now();
    const report = await verifyAuditChain(new AuditRepository(dbs.inventory.db));
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    console.log(`audit chain of ${redactUrl(config.databases.inventory.url)}`);
    if (report.ok) {
      console.log(
        `OK: ${report.checked} rows verified in ${seconds} s; head #${report.head.seq} ${report.head.hash}`,
      );
    } else {
      const b = report.broken;
      console.log(
        `BROKEN at row #${b?.seq}${b?.id ? ` (id ${b.id})` : ''}: ${b?.reason}\n` +
          `  ${report.checked} rows before it verified; head #${report.head.seq}`,
      );
      process.exitCode = 2;
    }
  } finally {
    await closeDatabases(dbs);
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exitCode = 1;
}
