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
 * Requests per client (clientKey: the address, or an IPv6 address's /64) and fixed window, on
 * every route: the global `max` per `windowMs`, or the route's own `config.rateLimit` (counted
 * under its method and URL), or none (`config.rateLimit: false`).
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
      counted = counter.hit(rule.scope + clientKey(request.ip), rule.windowMs);
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

/**
 * Whom a request is counted for: an IPv4 address as it is (an IPv4-mapped IPv6 address as its
 * IPv4), an IPv6 address by its /64 — the block one subscriber or host is given, and which it can
 * walk through address by address — and 'no-ip' when there is none (a Unix socket, an injected
 * request). An IPv6 address with another IPv4 inside (NAT64's `64:ff9b::a.b.c.d`, the old
 * `::a.b.c.d`), and anything that does not parse as IPv6, is counted as it is: their /64 would
 * hold many unrelated clients.
 */
export function clientKey(ip: string | undefined): string {
  if (!ip) return 'no-ip';
  if (!ip.includes(':')) return ip;
  const address = (ip.split('%')[0] ?? '').toLowerCase();
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (address.includes('.')) return address;
  const halves = address.split('::');
  if (halves.length > 2) return ip;
  const groups = (half: string | undefined) => (half ? half.split(':') : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return ip;
  const full = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  const prefix = full.slice(0, 4);
  if (!prefix.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return ip;
  return `${prefix.map((g) => Number.parseInt(g, 16).toString(16)).join(':')}::/64`;
}
