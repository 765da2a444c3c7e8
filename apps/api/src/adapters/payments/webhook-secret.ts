import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config/config';
import { writeSecretFile } from '../../lib/secret-file';

/**
 * The simulated provider's webhook signing secret. Kept in the data directory so events queued
 * for redelivery still verify after a restart; never leaves the process.
 */
export function resolveWebhookSecret(config: Config): string {
  if (config.payments.kind !== 'simulated')
    throw new Error('only the simulated provider has a local webhook secret');
  if (config.payments.webhookSecret !== 'generate') return config.payments.webhookSecret;
  const file = join(config.dataDir, 'payments-webhook-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  writeSecretFile(file, secret);
  return secret;
}
