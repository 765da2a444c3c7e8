import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BatchedLogStream } from './batched-log-stream';

const dir = mkdtempSync(join(tmpdir(), 'carebook-log-batch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);

describe('BatchedLogStream', () => {
  it('writes the lines of a turn in one destination write, in the order they were logged', async () => {
    const file = join(dir, 'turn.log');
    const dest = pino.destination({ dest: file, sync: false, mkdir: true });
    await new Promise((resolve) => dest.once('ready', resolve));
    const writes: string[] = [];
    const write = dest.write.bind(dest);
    dest.write = (data: string) => {
      writes.push(data);
      return write(data);
    };
    const log = pino({ base: null }, new BatchedLogStream(dest));
    for (let i = 0; i < 50; i++) log.info({ i }, 'line');
    log.warn('last');
    expect(writes).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    // The destination writes asynchronously (its flush does not wait for the file): wait for the lines.
    await vi.waitFor(() => expect(lines(file)).toHaveLength(51), { timeout: 5000 });
    const written = lines(file).map((l) => JSON.parse(l) as { i?: number; msg: string });
    expect(written.map((l) => l.i)).toEqual([...Array.from({ length: 50 }, (_, i) => i), undefined]);
    expect(written.at(-1)?.msg).toBe('last');
  });

  it('writes what it still holds when the process exits in the same turn', () => {
    const file = join(dir, 'exit.log');
    const script = `
      import pino from 'pino';
      import { BatchedLogStream } from ${JSON.stringify(join(import.meta.dirname, 'batched-log-stream.ts'))};
      const dest = pino.destination({ dest: ${JSON.stringify(file)}, sync: false });
      dest.once('ready', () => {
        const log = pino({ base: null }, new BatchedLogStream(dest));
        for (let i = 0; i < 3; i++) log.info({ i }, 'before exit');
        log.error('crash');
        process.exit(1);
      });`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: import.meta.dirname,
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(1);
    expect(lines(file).map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual([
      'before exit',
      'before exit',
      'before exit',
      'crash',
    ]);
  });
});
