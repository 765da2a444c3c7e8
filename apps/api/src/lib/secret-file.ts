import { chmodSync, closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Owner-only: read and write for the service account, nothing for group or others. */
const SECRET_FILE_MODE = 0o600;

/**
 * Writes a key or secret file readable by its owner only. The mode is set on creation and again
 * afterwards (a umask, or an existing file with wider bits, must not leave it readable by others).
 */
export function writeSecretFile(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, content, { mode: SECRET_FILE_MODE });
  chmodSync(file, SECRET_FILE_MODE);
}

/** Creates an empty owner-only file (a SQLite database before the driver opens it) or tightens one. */
export function ensurePrivateFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  if (!existsSync(file)) closeSync(openSync(file, 'a', SECRET_FILE_MODE));
  chmodSync(file, SECRET_FILE_MODE);
}
