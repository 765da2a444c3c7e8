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

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? bodyAjv : textAjv;
  return ajv.compile(schema as object);
};

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
  for (const e of errors) {
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
