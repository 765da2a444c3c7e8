import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';

/**
 * TLS and SASL for the Kafka bus, from the environment (docs/engines.md):
 * - `KAFKA_SSL=true` turns TLS on; `KAFKA_SSL_CA_FILE` (PEM) trusts a private CA,
 *   `KAFKA_SSL_CERT_FILE` + `KAFKA_SSL_KEY_FILE` give a client certificate (mTLS),
 *   `KAFKA_SSL_REJECT_UNAUTHORIZED=false` skips verification (never in production).
 * - `KAFKA_SASL_MECHANISM` = `plain` | `scram-sha-256` | `scram-sha-512` with
 *   `KAFKA_SASL_USERNAME` and `KAFKA_SASL_PASSWORD` (use TLS with it outside a private network).
 * Anything inconsistent throws at start-up rather than connecting without protection.
 */
export function kafkaClientSettings(env: Record<string, string | undefined>): Partial<KafkaConfig> {
  const out: Partial<KafkaConfig> = {};
  const flag = (name: string) => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    if (v !== 'true' && v !== 'false') throw new Error(`${name} must be true or false`);
    return v === 'true';
  };
  const file = (name: string) => {
    const path = env[name];
    return path ? readFileSync(path, 'utf8') : undefined;
  };
  const ssl = flag('KAFKA_SSL');
  const ca = file('KAFKA_SSL_CA_FILE');
  const cert = file('KAFKA_SSL_CERT_FILE');
  const key = file('KAFKA_SSL_KEY_FILE');
  const reject = flag('KAFKA_SSL_REJECT_UNAUTHORIZED');
  if (!ssl && (ca || cert || key || reject !== undefined))
    throw new Error('KAFKA_SSL_* settings need KAFKA_SSL=true');
  if (Boolean(cert) !== Boolean(key))
    throw new Error('KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together');
  if (ssl)
    out.ssl =
      ca || cert || reject !== undefined
        ? {
            ...(ca ? { ca: [ca] } : {}),
            ...(cert && key ? { cert, key } : {}),
            rejectUnauthorized: reject ?? true,
          }
        : true;
  const mechanism = env.KAFKA_SASL_MECHANISM;
  if (mechanism) {
    const username = env.KAFKA_SASL_USERNAME ?? '';
    const password = env.KAFKA_SASL_PASSWORD ?? '';
    if (!username || !password)
      throw new Error('KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
    if (mechanism !== 'plain' && mechanism !== 'scram-sha-256' && mechanism !== 'scram-sha-512')
      throw new Error('KAFKA_SASL_MECHANISM must be plain, scram-sha-256 or scram-sha-512');
    out.sasl = { mechanism, username, password } as SASLOptions;
  } else if (env.KAFKA_SASL_USERNAME || env.KAFKA_SASL_PASSWORD) {
    throw new Error('KAFKA_SASL_USERNAME/PASSWORD need KAFKA_SASL_MECHANISM');
  }
  return out;
}
