import { readFileSync } from 'node:fs';
import type { Clock } from '../../ports/clock';

/**
 * The test clock of the browser journeys: real time plus an offset in milliseconds that a test
 * writes to a file, read on every call, so a journey can move the server's "now" forward (an
 * appointment starts) instead of waiting for it. No file, or an empty one, means no offset.
 *
 * Only the embedded profile accepts it (`CAREBOOK_TEST_CLOCK_FILE`; the production profile
 * refuses to start with it), and it has no HTTP surface: only a process that can write the file
 * on the server's machine moves the time.
 */
export function offsetFileClock(path: string, realNow: () => number = Date.now): Clock {
  return { now: () => new Date(realNow() + readOffset(path)) };
}

function readOffset(path: string): number {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  if (text === '') return 0;
  const offset = Number(text);
  if (!Number.isSafeInteger(offset))
    throw new Error(`test clock file ${path}: "${text}" is not a whole number of ms`);
  return offset;
}
