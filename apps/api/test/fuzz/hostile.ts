/**
 * What an attacker types: fast-check arbitraries for hostile JSON values, path and query
 * parameters, headers and raw bodies. Huge values are big enough to cross every field limit but
 * stay under the body limit, so they reach validation instead of only the size check.
 */
import fc from 'fast-check';

const deep = (depth: number, leaf: unknown): unknown => {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { a: v };
  return v;
};

export const hostileStrings = [
  '',
  ' ',
  'a'.repeat(70_000),
  'nul\u0000byte',
  '\u0000',
  '\uD800',
  '\uDFFF\uD800',
  '\u202Eevil',
  '👩‍⚕️🏥',
  'Ω'.repeat(3000),
  "' OR 1=1 --",
  '"; DROP TABLE users; --',
  '\\',
  '../../../../etc/passwd',
  '%00',
  '%2e%2e%2f',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose
  '${7*7}{{7*7}}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'NaN',
  '-1',
  '1e999',
  '2026-02-30',
  '2026-02-30T10:00:00Z',
  '2026-13-01T25:61:61Z',
  '0000-00-00',
  '9999-12-31T23:59:59.999Z',
  '-271821-04-20T00:00:00Z',
  '2026-12-01T10:00:00+25:00',
  'Mars/Olympus_Mons',
  'America/New_York\u0000',
  'Etc/GMT+99',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '0190b0c4-3a6e-7c2a-9d3e-5f6a7b8c9d0e',
  '0190B0C4-3A6E-7C2A-9D3E-5F6A7B8C9D0E',
  'not-a-uuid',
];

export const hostileNumbers = [0, -1, -0.5, 1.5, 2 ** 31, 2 ** 53 + 1, -(2 ** 53), 1e308, -1e308, 5e-324];

export const protoKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

/** Any one hostile JSON value. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.constantFrom(...hostileNumbers),
  fc.constantFrom(null, true, false, [], {}, [null], [[[]]], { '': '' }),
  fc.constantFrom(
    deep(2000, 1),
    deep(40, 'x'),
    Array.from({ length: 20_000 }, () => 0),
  ),
  fc.constantFrom(...protoKeys).map((k) => JSON.parse(`{"${k}":{"polluted":true}}`) as unknown),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Raw bodies that are not what the route expects: not JSON, truncated, polluted, empty. */
export const rawBodies = [
  '',
  '{',
  '{"a":',
  'null',
  '[]',
  '"string"',
  '123',
  'true',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  '{"a":1,"a":2}',
  `{"a":"${'\\u0000'.repeat(10)}"}`,
  '\u0000\u0001\u0002',
  '\uFEFF{}',
  '<?xml version="1.0"?><a/>',
  'a=1&b=2',
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  `{"a":${'1'.repeat(5000)}}`,
  '{"a":1e99999}',
];

export const contentTypes = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/JSON',
  'application/json;;;',
  'application/merge-patch+json',
  'application/problem+json',
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  '*/*',
  'garbage',
  '',
];

export const authorizations = [
  undefined,
  'Bearer',
  'Bearer ',
  'Bearer a.b.c',
  'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
  'Basic YWRtaW46YWRtaW4=',
  'Digest x',
  `Bearer ${'a'.repeat(10_000)}`,
  'Bearer \u00ff\u00fe',
];

export const acceptHeaders = [
  undefined,
  '*/*',
  'application/xml',
  'text/html',
  'text/calendar',
  'application/json;q=0',
  'application/fhir+json',
  'garbage/;;;',
  'a'.repeat(8000),
];

/** Odd optional headers a request may carry. */
export const oddHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'idempotency-key': fc.constantFrom('', 'k', 'x'.repeat(5000), '\u00e9\u00e8', ' spaced key '),
    'if-none-match': fc.constantFrom('*', 'W/"1"', '"', 'garbage', '"9999999999999999999999"', '"-1"'),
    'if-match': fc.constantFrom('*', '"0"', '"-1"', '"1.5"', '"abc"', 'W/"1"', '"99999999999999999999"', ''),
    'accept-language': fc.constantFrom('xx', '*', 'a'.repeat(4000)),
    'x-request-id': fc.constantFrom('x'.repeat(500), 'id with spaces', '../../x'),
    'x-forwarded-for': fc.constantFrom('not an ip', '999.999.999.999', '::1, ::1, ::1'),
  },
  { requiredKeys: [] },
);

/** Values for a path parameter, raw (already URL-encoded where needed). */
export const hostilePathParams = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  '0190b0c4-3a6e-7c2a-9d3e-5f6a7b8c9d0e',
  '0190B0C4-3A6E-7C2A-9D3E-5F6A7B8C9D0E',
  '%00',
  '%2e%2e',
  '..%2f..%2fetc%2fpasswd',
  '%F0%9F%8F%A5',
  '%C0%AF',
  '%uD800',
  "'%20OR%201=1",
  '-1',
  '1e999',
  '__proto__',
  'constructor',
  'a'.repeat(99),
  '%20',
];

/** Percent-encodes like a browser, and a lone surrogate as the bytes a careless client sends. */
function encodeLoosely(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return `${encodeURIComponent(value.replace(/[\uD800-\uDFFF]/g, ''))}%ED%A0%80`;
  }
}

/** Raw query-string fragments for one parameter, including repeats and arrays. */
export const queryValueArb = (name: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc
      .constantFrom(...hostileStrings.filter((s) => s.length < 5000))
      .map((v) => `${name}=${encodeLoosely(v)}`),
    fc
      .constantFrom(
        ...hostileNumbers.map(String),
        '-1',
        '0',
        '999999999999',
        '1e9',
        'NaN',
        'Infinity',
        '0x10',
      )
      .map((v) => `${name}=${v}`),
    fc.constantFrom(
      `${name}=1&${name}=2`,
      `${name}[]=1`,
      `${name}[a]=1`,
      `${name}`,
      `${name}=`,
      `${name}=%`,
      `${name}=%00`,
      `${name}=${'a'.repeat(3000)}`,
      `${name}=true&${name}=false`,
    ),
  );
