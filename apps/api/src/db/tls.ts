import { readFileSync } from 'node:fs';

/**
 * TLS settings of a MySQL/MariaDB connection, given as query parameters of its URL (the names of
 * the `mysql`/`mariadb` command-line options):
 *
 *   mysql://carebook:…@db.internal:3306/carebook?ssl-mode=VERIFY_IDENTITY&ssl-ca=/etc/carebook/db-ca.pem
 *
 * - `ssl-mode`: `DISABLED` (default), `REQUIRED` (encrypted, server not verified), `VERIFY_CA`
 *   (certificate chain checked against the CA), `VERIFY_IDENTITY` (chain and host name).
 * - `ssl-ca`: PEM file of the CA that signed the server certificate; without it the system trust
 *   store is used (plus `NODE_EXTRA_CA_CERTS`).
 * - `ssl-cert`, `ssl-key`: a client certificate and key, for servers that require one (X509).
 */
export type SslMode = 'DISABLED' | 'REQUIRED' | 'VERIFY_CA' | 'VERIFY_IDENTITY';

export interface MysqlTls {
  mode: SslMode;
  ca?: string;
  cert?: string;
  key?: string;
}

const PARAMS = ['ssl-mode', 'ssl-ca', 'ssl-cert', 'ssl-key'] as const;
const MODES: readonly SslMode[] = ['DISABLED', 'REQUIRED', 'VERIFY_CA', 'VERIFY_IDENTITY'];

/** The URL without its TLS parameters (what the driver gets) and the TLS settings they gave. */
export function splitMysqlTls(url: string): { url: string; tls: MysqlTls } {
  const u = new URL(url);
  const get = (name: (typeof PARAMS)[number]) => u.searchParams.get(name) ?? undefined;
  const rawMode = (get('ssl-mode') ?? (get('ssl-ca') ? 'VERIFY_IDENTITY' : 'DISABLED')).toUpperCase();
  if (!MODES.includes(rawMode as SslMode))
    throw new Error(`ssl-mode must be one of ${MODES.join(', ')} (got "${rawMode}")`);
  const tls: MysqlTls = { mode: rawMode as SslMode };
  const ca = get('ssl-ca');
  const cert = get('ssl-cert');
  const key = get('ssl-key');
  if (ca) tls.ca = ca;
  if (cert) tls.cert = cert;
  if (key) tls.key = key;
  for (const p of PARAMS) u.searchParams.delete(p);
  return { url: u.toString(), tls };
}

/** mysql2's `ssl` option for these settings (files are read now), or undefined for DISABLED. */
export function mysql2Ssl(tls: MysqlTls) {
  if (tls.mode === 'DISABLED') return undefined;
  const verify = tls.mode !== 'REQUIRED';
  return {
    rejectUnauthorized: verify,
    verifyIdentity: tls.mode === 'VERIFY_IDENTITY',
    ...(tls.ca ? { ca: readFileSync(tls.ca, 'utf8') } : {}),
    ...(tls.cert ? { cert: readFileSync(tls.cert, 'utf8') } : {}),
    ...(tls.key ? { key: readFileSync(tls.key, 'utf8') } : {}),
  };
}

/** The same settings as `mariadb`/`mariadb-dump` command-line options (backup and restore tools). */
export function mysqlCliTlsArgs(tls: MysqlTls): string[] {
  if (tls.mode === 'DISABLED') return [];
  const args = ['--ssl'];
  if (tls.mode !== 'REQUIRED') args.push('--ssl-verify-server-cert');
  if (tls.ca) args.push(`--ssl-ca=${tls.ca}`);
  if (tls.cert) args.push(`--ssl-cert=${tls.cert}`);
  if (tls.key) args.push(`--ssl-key=${tls.key}`);
  return args;
}
