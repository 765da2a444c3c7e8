import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, loadDotEnv } from '../../apps/api/src/config/config';
import { closeDatabases, openDatabases } from '../../apps/api/src/db/open-databases';
import { CreateAdminError, createAdmin } from '../../apps/api/src/modules/accounts/create-admin';
import { PasswordHasher } from '../../apps/api/src/modules/auth/passwords';
import { systemClock } from '../../apps/api/src/ports/clock';

/**
 * `npm run create-admin -- --email ops@clinic.example --name "Ops Admin"`: creates the first
 * administrator (the production profile seeds no accounts). The password comes from
 * ADMIN_PASSWORD, or is read from standard input, never from the command line (shell history).
 */
const USAGE =
  'usage: npm run create-admin -- --email <address> --name "<display name>"  (password: ADMIN_PASSWORD or stdin)';

async function readPassword(): Promise<string> {
  if (process.env.ADMIN_PASSWORD) return process.env.ADMIN_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  if (process.stdin.isTTY) process.stderr.write('Password (at least 10 characters): ');
  const line = (await rl[Symbol.asyncIterator]().next()).value as string | undefined;
  rl.close();
  return (line ?? '').replace(/\r?\n$/, '');
}

loadDotEnv();
const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } } });
if (!values.email || !values.name) {
  console.error(USAGE);
  process.exit(2);
}
try {
  const config = loadConfig();
  const password = await readPassword();
  const dbs = openDatabases(config);
  try {
    const id = await createAdmin(
      dbs.inventory.db,
      new PasswordHasher(config.auth.passwordHashMemoryKiB),
      systemClock,
      { email: values.email, displayName: values.name, password },
    );
    console.log(`Created administrator ${values.email.trim().toLowerCase()} (${id}).`);
  } finally {
    await closeDatabases(dbs);
  }
} catch (err) {
  if (err instanceof ConfigError) console.error(err.message);
  else if (err instanceof CreateAdminError) console.error(`Cannot create the administrator: ${err.message}.`);
  else console.error(err);
  process.exit(1);
}
