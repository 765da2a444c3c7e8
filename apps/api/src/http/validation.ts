import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import type { FieldError } from '../domain/errors';

const baseOptions = {
  allErrors: true,
  // Unknown fields are rejected (schemas say additionalProperties: false), never silently dropped.
  removeAdditional: false,
  useDefaults: true,
  strict: false,
  // Errors carry their schema, so a pattern error can say what the pattern means.
  verbose: true,
} as const;

/** Bodies are JSON and must already have the right types: no coercion ("5" is not 5). */
const bodyAjv = addFormats(new Ajv({ ...baseOptions, coerceTypes: false }));
/** Query strings, params and headers are text on the wire, so they are coerced. */
const textAjv = addFormats(new Ajv({ ...baseOptions, coerceTypes: 'array' }));
/** The same, stopping at the first error: what decides whether a request is valid. */
const firstErrorBodyAjv = addFormats(new Ajv({ ...baseOptions, allErrors: false, coerceTypes: false }));
const firstErrorTextAjv = addFormats(new Ajv({ ...baseOptions, allErrors: false, coerceTypes: 'array' }));

/**
 * Inputs with more values than this that fail validation are answered with their first error
 * only: collecting every error of a huge input (say 100,000 array items, each failing a union,
 * checked for uniqueness) costs seconds of CPU per request.
 */
const FULL_REPORT_MAX_VALUES = 500;
/** No answer lists more field errors than this. */
const MAX_FIELD_ERRORS = 50;

type Validate = ((data: unknown, ctx?: unknown) => boolean) & {
  errors?: ErrorObject[] | null;
  schemaEnv?: unknown;
};

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const text = httpPart !== 'body';
  const decide = (text ? firstErrorTextAjv : firstErrorBodyAjv).compile(schema as object) as Validate;
  const explain = (text ? textAjv : bodyAjv).compile(schema as object) as Validate;
  const validate: Validate = (data, ctx) => {
    if (decide(data, ctx)) {
      validate.errors = null;
      return true;
    }
    if (valuesIn(data, FULL_REPORT_MAX_VALUES) > FULL_REPORT_MAX_VALUES) validate.errors = decide.errors;
    else validate.errors = explain(data, ctx) ? decide.errors : explain.errors;
    return false;
  };
  // Fastify hands the parent object in when the validator can replace a coerced root value.
  validate.schemaEnv = decide.schemaEnv;
  return validate;
};

/** How many values (containers and leaves) `data` holds, counting no further than `limit + 1`. */
function valuesIn(data: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [data];
  while (stack.length > 0 && count <= limit) {
    const value = stack.pop();
    count++;
    if (value !== null && typeof value === 'object') {
      for (const child of Object.values(value)) {
        stack.push(child);
        if (stack.length > limit) return limit + 1;
      }
    }
  }
  return count;
}

const partNames: Record<string, string> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'header',
};

/** Turns Ajv errors into field errors with JSON-pointer paths like /body/email. */
export function fieldErrors(errors: ErrorObject[], context: string | undefined): FieldError[] {
  const root = `/${partNames[context ?? 'body'] ?? context}`;
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of errors.slice(0, MAX_FIELD_ERRORS)) {
    let path = `${root}${e.instancePath}`;
    let message = e.message ?? 'is not valid';
    if (e.keyword === 'required') {
      path = `${path}/${(e.params as { missingProperty: string }).missingProperty}`;
      message = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      path = `${path}/${(e.params as { additionalProperty: string }).additionalProperty}`;
      message = 'is not an allowed field';
    } else if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      // the branch errors already say why; keep the summary only when nothing else names this path
      if (out.some((f) => f.path.startsWith(path))) continue;
      message = 'does not match any allowed form';
    } else if (e.keyword === 'pattern') {
      const description = (e.parentSchema as { description?: unknown } | undefined)?.description;
      if (typeof description === 'string') message = `must be ${description}`;
    } else if (e.keyword === 'const' || e.keyword === 'enum') {
      const allowed = (e.params as { allowedValue?: unknown; allowedValues?: unknown[] }).allowedValues ?? [
        (e.params as { allowedValue?: unknown }).allowedValue,
      ];
      message = `must be one of: ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    const key = `${path}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, message });
  }
  // Union branches produce one "must be equal to constant" per literal; merge them per path.
  return mergeLiteralErrors(out);
}

function mergeLiteralErrors(errors: FieldError[]): FieldError[] {
  const byPath = new Map<string, FieldError[]>();
  for (const e of errors) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e]);
  const out: FieldError[] = [];
  for (const [path, list] of byPath) {
    const literals = list.filter((e) => e.message.startsWith('must be one of: '));
    const others = list.filter(
      (e) => !e.message.startsWith('must be one of: ') && e.message !== 'does not match any allowed form',
    );
    if (literals.length > 0) {
      const values = literals.flatMap((e) => e.message.slice('must be one of: '.length).split(', '));
      out.push({ path, message: `must be one of: ${[...new Set(values)].join(', ')}` });
    }
    out.push(...others);
    if (literals.length === 0 && others.length === 0) out.push(...list);
  }
  return out;
}
