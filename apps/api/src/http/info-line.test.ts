import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../lib/logger';
import { writeInfoLine } from './info-line';

function logger(options: pino.LoggerOptions = {}) {
  const lines: string[] = [];
  const log = pino(
    {
      ...(loggerOptions('info') as pino.LoggerOptions),
      timestamp: () => ',"time":1700000000000',
      ...options,
    },
    { write: (s: string) => lines.push(s) },
  );
  return { log: log as unknown as FastifyBaseLogger, lines };
}

const fields = {
  reqId: 'req-1',
  method: 'GET',
  url: '/api/v1/search?q="quoted"\\ünï\u0001',
  statusCode: 200,
  responseTime: 1.25,
  cached: true,
};

describe('writeInfoLine', () => {
  it('writes the bytes pino writes for the same fields and message', () => {
    const ours = logger();
    const theirs = logger();
    writeInfoLine(ours.log, fields, 'request "completed"');
    theirs.log.info(fields, 'request "completed"');
    expect(ours.lines).toHaveLength(1);
    expect(ours.lines[0]).toBe(theirs.lines[0]);
    expect(JSON.parse(ours.lines[0] ?? '')).toMatchObject({
      ...fields,
      level: 30,
      msg: 'request "completed"',
    });
  });

  it('keeps a child logger’s bindings and the message key', () => {
    const ours = logger({ messageKey: 'message' });
    const theirs = logger({ messageKey: 'message' });
    writeInfoLine(ours.log.child({ reqId: 'r' }), { url: '/x' }, 'done');
    theirs.log.child({ reqId: 'r' }).info({ url: '/x' }, 'done');
    expect(ours.lines[0]).toBe(theirs.lines[0]);
  });

  it('writes bindings before the fields as a child logger would, without a child', () => {
    const ours = logger();
    const theirs = logger();
    const { reqId, ...rest } = fields;
    writeInfoLine(ours.log, rest, 'request completed', { reqId });
    theirs.log.child({ reqId }).info(rest, 'request completed');
    expect(ours.lines[0]).toBe(theirs.lines[0]);
    // A field that is also a binding: pino's line for the merged object.
    writeInfoLine(ours.log, { reqId: 'other', url: '/x' }, 'done', { reqId });
    theirs.log.info({ reqId: 'other', url: '/x' }, 'done');
    expect(ours.lines[1]).toBe(theirs.lines[1]);
  });

  it('writes nothing below the logger’s level', () => {
    const { log, lines } = logger({ level: 'warn' });
    writeInfoLine(log, fields, 'request completed');
    expect(lines).toHaveLength(0);
  });

  it('goes through pino when the logger adds to each line (a mixin)', () => {
    const { log, lines } = logger({ mixin: () => ({ trace_id: 't-1' }) });
    writeInfoLine(log, { url: '/x' }, 'done');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ url: '/x', trace_id: 't-1', msg: 'done' });
  });
});
