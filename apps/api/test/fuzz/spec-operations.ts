/**
 * The API's own OpenAPI document turned into a list of operations to attack, plus a plausible
 * (schema-shaped) value for any schema, so a hostile value can be planted in one field of an
 * otherwise well-formed request and reach past the first validation error.
 */
import type { FastifyInstance } from 'fastify';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  default?: unknown;
  examples?: unknown[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: JsonSchema;
}

export interface Operation {
  method: string;
  /** OpenAPI path with {name} placeholders. */
  path: string;
  parameters: Parameter[];
  body?: JsonSchema;
  multipart: boolean;
}

export async function operationsOf(app: FastifyInstance): Promise<Operation[]> {
  const res = await app.inject({ url: '/api/v1/openapi.json' });
  const doc = res.json() as {
    paths: Record<
      string,
      Record<
        string,
        { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }
      >
    >;
  };
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const content = op.requestBody?.content ?? {};
      out.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        body: content['application/json']?.schema,
        multipart: 'multipart/form-data' in content,
      });
    }
  }
  return out;
}

const samplesByFormat: Record<string, string> = {
  uuid: '0190b0c4-3a6e-7c2a-9d3e-5f6a7b8c9d0e',
  'date-time': '2026-12-01T10:00:00.000Z',
  date: '2026-12-01',
  email: 'fuzz@example.test',
  uri: 'https://example.test/x',
  time: '10:00',
};

/** A value of the schema's shape; not necessarily valid (patterns are not solved). */
export function sampleOf(schema: JsonSchema | undefined, depth = 0): unknown {
  if (!schema || depth > 6) return null;
  if (schema.const !== undefined) return schema.const;
  if (schema.default !== undefined) return schema.default;
  if (schema.examples?.length) return schema.examples[0];
  if (schema.enum?.length) return schema.enum[0];
  const branch = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (branch) return sampleOf(branch, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(schema.properties ?? {})) out[k] = sampleOf(v, depth + 1);
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () =>
        sampleOf(schema.items, depth + 1),
      );
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      return (
        (schema.format && samplesByFormat[schema.format]) ?? 'x'.repeat(Math.max(1, schema.minLength ?? 1))
      );
    default:
      return null;
  }
}

/** Every JSON path (list of keys) into a sample, leaves and inner nodes alike. */
export function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

/** A copy of `value` with the node at `path` replaced (the root when the path is empty). */
export function replaceAt(value: unknown, path: string[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head = '', ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) }) as Record<
    string,
    unknown
  >;
  copy[head] = replaceAt(copy[head], rest, replacement);
  return copy;
}
