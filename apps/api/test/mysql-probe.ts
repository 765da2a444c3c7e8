import { createConnection } from 'mysql2/promise';

export async function mysqlReachable(url: string): Promise<{ ok: true } | { ok: false; error: string }> {
  try {
    const conn = await createConnection({ uri: url, connectTimeout: 3000 });
    await conn.query('select 1');
    await conn.end();
    return { ok: true };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}
