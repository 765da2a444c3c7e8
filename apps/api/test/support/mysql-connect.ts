import { type Connection, type ConnectionOptions, createConnection } from 'mysql2/promise';

/** Errors of getting a connection that a busy server (a loaded CI machine) may give once. */
const TRANSIENT = new Set([
  'ETIMEDOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
]);

/**
 * A test-support connection to MariaDB, tried again after a transient failure to connect (1, 2, 4
 * and 8 s apart, each try allowed 20 s) — on a machine with every core busy the server may take
 * more than mysql2's default 10 s to accept, and one slow accept must not fail a whole run. Any
 * other error (a refused password, a bad URL) is thrown at once.
 */
export async function connectMysql(options: ConnectionOptions & { uri?: string }): Promise<Connection> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await createConnection({ connectTimeout: 20_000, ...options });
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (attempt >= 4 || !TRANSIENT.has(code)) throw err;
      await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt));
    }
  }
}
