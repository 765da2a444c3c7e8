import { type Context, context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

const propagator = new W3CTraceContextPropagator();
const setter = {
  set(carrier: Record<string, string>, key: string, value: string) {
    carrier[key] = value;
  },
};
const getter = {
  keys: (carrier: Record<string, string>) => Object.keys(carrier),
  get: (carrier: Record<string, string>, key: string) => carrier[key],
};

/**
 * The W3C `traceparent` of the span active here, or undefined when nothing is traced (tracing off:
 * no span is ever active, so this costs one context lookup).
 */
export function activeTraceparent(ctx: Context = context.active()): string | undefined {
  const span = trace.getSpan(ctx);
  if (!span?.spanContext().traceFlags) return undefined;
  const carrier: Record<string, string> = {};
  propagator.inject(ctx, carrier, setter);
  return carrier.traceparent;
}

/** A context whose parent is the span a `traceparent` names (the root context when absent or bad). */
export function contextFromTraceparent(
  traceparent: string | undefined,
  base: Context = ROOT_CONTEXT,
): Context {
  if (!traceparent) return base;
  return propagator.extract(base, { traceparent }, getter);
}
