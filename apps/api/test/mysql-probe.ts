import { createConnection } from 'mysql2/promise';
import { connectMysql } from './support/mysql-connect';

/**
 * Whether MariaDB answers at `url`. With `patient` (CI, where MariaDB is required) a transient
 * failure to connect is tried again (support/mysql-connect.ts) before the run is failed; without
 * it one short try, so a machine without MariaDB is told at once.
 */
export async function mysqlReachable(
  url: string,
  patient = false,
): Promise<{ ok: true } | { ok: false; error: string }> {
  try {
    const conn = patient
      ? await connectMysql({ uri: url })
      : await createConnection({ uri: url, connectTimeout: 3000 });
    await conn.query('select 1');
    await conn.end();
    return { ok: true };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}
