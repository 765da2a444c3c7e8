import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config/config';
import { writeSecretFile } from '../../lib/secret-file';

export interface JwtKey {
  kid: string;
  secret: Uint8Array;
}

/**
 * The signing key ring. Production must configure JWT_KEYS; the embedded profile makes a key
 * once and keeps it in the data directory so sessions survive a restart.
 */
export function resolveJwtKeys(config: Config): JwtKey[] {
  if (config.auth.jwtKeys !== 'generate') return config.auth.jwtKeys;
  if (config.profile === 'production') throw new Error('JWT_KEYS is required in the production profile');
  const file = join(config.dataDir, 'jwt-keys.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { kid: string; secret: string }[];
    return stored.map((k) => ({ kid: k.kid, secret: new Uint8Array(Buffer.from(k.secret, 'base64')) }));
  }
  const key = { kid: `k${Date.now().toString(36)}`, secret: randomBytes(32) };
  writeSecretFile(file, JSON.stringify([{ kid: key.kid, secret: key.secret.toString('base64') }]));
  return [{ kid: key.kid, secret: new Uint8Array(key.secret) }];
}
