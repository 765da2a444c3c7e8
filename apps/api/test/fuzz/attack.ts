/**
 * Sends generated requests and keeps every bad answer (deduplicated by route and symptom), so one
 * run reports all defects at once instead of stopping at the first.
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { badAnswer } from './oracle';
import type { Operation } from './spec-operations';

export class Findings {
  private readonly seen = new Map<string, string>();
  record(key: string, finding: string | null): void {
    if (finding && !this.seen.has(key)) this.seen.set(key, finding);
  }
  list(): string[] {
    return [...this.seen.values()];
  }
}

export async function send(
  app: FastifyInstance,
  findings: Findings,
  op: Pick<Operation, 'method' | 'path'>,
  options: InjectOptions & { url: string; method: string },
  note: string,
): Promise<void> {
  let res: Awaited<ReturnType<FastifyInstance['inject']>>;
  try {
    res = await app.inject(options);
    // On a loaded machine a dependency may time out for anyone (a 503 problem with Retry-After);
    // that request is sent again once after the pause it asks for, so only an answer the input
    // itself causes is judged.
    if (res.statusCode === 503 && /"code":"SERVICE_UNAVAILABLE"/.test(res.body)) {
      const seconds = Math.min(5, Number(res.headers['retry-after'] ?? 1) || 1);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      res = await app.inject(options);
    }
  } catch (error) {
    findings.record(
      `${op.method} ${op.path} throw`,
      `${options.method} ${options.url} threw ${String(error)}`,
    );
    return;
  }
  const finding = badAnswer({ method: options.method, url: options.url, note }, res);
  const symptom = finding ? `${res.statusCode}|${finding.replace(/.*-> /, '').slice(0, 40)}` : '';
  findings.record(`${op.method} ${op.path} ${symptom}`, finding);
}

/** The path with each {param} filled from `fill`. */
export function urlOf(path: string, fill: (name: string) => string): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => fill(name));
}
