import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, LevelWithSilent as LogLevel } from 'pino';
import { writeInfoLine } from './info-line';

type LogArgs = Parameters<FastifyBaseLogger['info']>;

/**
 * The per-request logger (`request.log`): pino's child with the request id bound is made only when
 * something logs through it. A request answered without logging — nearly all of them, since the
 * one completion line is written by {@link lineWithRequestBindings} through the parent — costs an
 * object instead of a pino child (copied formatters, serialised bindings) per request.
 */
export class LazyRequestLogger implements FastifyBaseLogger {
  #child: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private get real(): FastifyBaseLogger {
    this.#child ??= this.parent.child(this.bindings, this.options);
    return this.#child;
  }

  get level(): LogLevel | string {
    return this.real.level;
  }
  set level(level: LogLevel | string) {
    this.real.level = level;
  }

  fatal(...args: LogArgs): void {
    this.real.fatal(...args);
  }
  error(...args: LogArgs): void {
    this.real.error(...args);
  }
  warn(...args: LogArgs): void {
    this.real.warn(...args);
  }
  info(...args: LogArgs): void {
    this.real.info(...args);
  }
  debug(...args: LogArgs): void {
    this.real.debug(...args);
  }
  trace(...args: LogArgs): void {
    this.real.trace(...args);
  }
  silent(...args: LogArgs): void {
    this.real.silent(...args);
  }
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }

  /**
   * An info line of flat fields carrying the request's bindings: through the child if one exists
   * or the route changes level or serializers, otherwise written for the parent with the bindings
   * in the object (the same line, without making a child or going through pino's per-line work,
   * see {@link writeInfoLine}).
   */
  infoWithBindings(obj: Record<string, string | number | boolean>, msg: string): void {
    if (this.#child || this.options.level !== undefined || this.options.serializers) this.real.info(obj, msg);
    else writeInfoLine(this.parent, obj, msg, this.bindings as Record<string, string>);
  }
}

/** Fastify's `childLoggerFactory`: a {@link LazyRequestLogger} per request. */
export function lazyRequestLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return new LazyRequestLogger(logger, bindings, options);
}
