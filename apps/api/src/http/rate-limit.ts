import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { DomainError } from '../domain/errors';
import type { RateCounter, RateWindow } from '../ports/rate-counter';

/** A route's own limit (`config.rateLimit`), counted apart from the global one; `false`: none. */
export interface RouteRateLimit {
  max: number;
  windowMs: number;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    rateLimit?: RouteRateLimit | false;
  }
}

interface Rule extends RouteRateLimit {
  /** Put before the client's address in the counter's key: '' for the global limit. */
  scope: string;
}

/**
 * Requests per client address (`request.ip`; 'no-ip' on a Unix socket or an injected upgrade)
 * and fixed window, for every route: the global `max` per `windowMs`, or the route's own
 * `config.rateLimit` (counted under its method and URL), or none (`config.rateLimit: false`).
 * Each answer carries `x-ratelimit-limit`, `x-ratelimit-remaining` and `x-ratelimit-reset`
 * (seconds); past the limit the request is refused with 429 TOO_MANY_REQUESTS and `retry-after`.
 * When a shared counter cannot be reached the request goes through, without the headers.
 *
 * One route-level `onRequest` hook in callback style, after the instance's hooks (security
 * headers, auth): with counts in this process it is synchronous, so a request pays no promise or
 * tick for it. (It replaces @fastify/rate-limit, whose async hook, nested promises and three
 * `reply.header` calls cost about a quarter of a Fastify hello-world's throughput; docs/benchmarks.md.)
 */
export function registerRateLimit(
  app: FastifyInstance,
  options: { max: number; windowMs: number; counter: RateCounter },
): void {
  const global: Rule = { max: options.max, windowMs: options.windowMs, scope: '' };
  app.addHook('onRoute', (route) => {
    const own = route.config?.rateLimit;
    if (own === false) return;
    const method = Array.isArray(route.method) ? route.method.join(',') : route.method;
    const rule = own ? { ...own, scope: `${method}${route.url}-` } : global;
    const hook = limiter(rule, options.counter);
    const current = route.onRequest;
    route.onRequest =
      current === undefined ? [hook] : [...(Array.isArray(current) ? current : [current]), hook];
  });
}

function limiter(rule: Rule, counter: RateCounter) {
  const limit = String(rule.max);
  const answer = (reply: FastifyReply, w: RateWindow, done: HookHandlerDoneFunction) => {
    const raw = reply.raw;
    const reset = Math.ceil(w.resetInMs / 1000);
    raw.setHeader('x-ratelimit-limit', limit);
    raw.setHeader('x-ratelimit-remaining', String(Math.max(0, rule.max - w.count)));
    raw.setHeader('x-ratelimit-reset', String(reset));
    if (w.count <= rule.max) return done();
    done(
      new DomainError('TOO_MANY_REQUESTS', `Too many requests; retry in ${reset} s.`, {
        retryAfterSeconds: reset,
      }),
    );
  };
  return function rateLimit(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) {
    let counted: RateWindow | Promise<RateWindow>;
    try {
      counted = counter.hit(rule.scope + (request.ip ?? 'no-ip'), rule.windowMs);
    } catch {
      return done();
    }
    if (counted instanceof Promise)
      counted.then(
        (w) => answer(reply, w, done),
        () => done(),
      );
    else answer(reply, counted, done);
  };
}
