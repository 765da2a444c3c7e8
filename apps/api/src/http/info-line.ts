import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';

const S = pino.symbols;
// Not in pino's type declarations, but in `pino.symbols` since pino 8.
const msgPrefixSym = (pino.symbols as unknown as Record<string, symbol>).msgPrefixSym as symbol;
const INFO = 30;

interface PinoInternals {
  [key: symbol]: unknown;
}

/**
 * What a plain pino logger needs to write an info line itself: the level prefix, the time function,
 * the bindings text, the message key, the line end and the stream. Null when the logger does
 * anything per line that a flat object would miss (a mixin, a message prefix, hooks, a stream that
 * wants metadata, a custom level format): those lines go through pino.
 */
function plainParts(logger: FastifyBaseLogger) {
  const l = logger as unknown as PinoInternals;
  const levelPrefix = (l[S.lsCacheSym] as Record<number, string> | undefined)?.[INFO];
  const time = l[S.timeSym];
  const stream = l[S.streamSym] as { write(line: string): unknown } | undefined;
  const hooks = l[S.hooksSym] as { logMethod?: unknown; streamWrite?: unknown } | undefined;
  if (
    typeof levelPrefix !== 'string' ||
    levelPrefix !== `{"level":${INFO}` ||
    typeof time !== 'function' ||
    !stream ||
    typeof stream.write !== 'function' ||
    (stream as PinoInternals)[S.needsMetadataGsym] === true ||
    l[S.mixinSym] ||
    typeof l[msgPrefixSym] === 'string' ||
    hooks?.logMethod ||
    hooks?.streamWrite
  )
    return null;
  return {
    levelPrefix,
    time: time as () => string,
    chindings: String(l[S.chindingsSym] ?? ''),
    messageKey: JSON.stringify(String(l[S.messageKeySym] ?? 'msg')),
    end: String(l[S.endSym] ?? '}\n'),
    stream,
  };
}

const parts = new WeakMap<FastifyBaseLogger, ReturnType<typeof plainParts>>();

/** `,"a":1,"b":"x"` for `{a: 1, b: "x"}` (nothing for an empty object). */
function propsOf(fields: Record<string, string | number | boolean>): string {
  const json = JSON.stringify(fields);
  return json.length > 2 ? `,${json.slice(1, -1)}` : '';
}

/**
 * An info line of flat fields (strings, numbers, booleans; no secrets by construction — the
 * request log's method, URL, status, time and request id) written as pino writes it — the same
 * bytes: level, time, bindings, the fields in order, the message — without pino's per-line
 * machinery (formatters, serializers, key-by-key stringifiers), one `JSON.stringify` of the
 * fields instead. `bindings` (a request's `reqId`) are written before the fields, as a child
 * logger's would be: the same line as `{ ...bindings, ...fields }` without that merged object,
 * whose spread cost several times the rest of the line (~5–8 µs against ~1–2 µs on a busy 2-core
 * machine). Lines of loggers that do more per line go through `logger.info`.
 */
export function writeInfoLine(
  logger: FastifyBaseLogger,
  fields: Record<string, string | number | boolean>,
  msg: string,
  bindings?: Record<string, string | number | boolean>,
): void {
  let p = parts.get(logger);
  if (p === undefined) {
    p = plainParts(logger);
    parts.set(logger, p);
  }
  let overlap = false;
  if (bindings !== undefined) for (const key in bindings) if (Object.hasOwn(fields, key)) overlap = true;
  if (p === null || overlap || !(logger as unknown as pino.Logger).isLevelEnabled('info')) {
    logger.info(bindings === undefined ? fields : { ...bindings, ...fields }, msg);
    return;
  }
  const props = bindings === undefined ? propsOf(fields) : propsOf(bindings) + propsOf(fields);
  p.stream.write(
    `${p.levelPrefix}${p.time()}${p.chindings}${props},${p.messageKey}:${JSON.stringify(msg)}${p.end}`,
  );
}
