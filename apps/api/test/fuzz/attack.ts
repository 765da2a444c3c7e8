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
  const started = performance.now();
  try {
    res = await app.inject(options);
    const took = performance.now() - started;
    if (process.env.FUZZ_SLOW && took > 300)
      console.log('SLOW', Math.round(took), options.method, options.url.slice(0, 100), note.slice(0, 80), String(options.payload ?? '').slice(0, 100));
  } catch (error) {
    findings.record(`${op.method} ${op.path} throw`, `${options.method} ${options.url} threw ${String(error)}`);
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
