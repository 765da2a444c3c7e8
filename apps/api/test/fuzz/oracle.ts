/**
 * What every answer to an attacker must look like: never a 5xx, a client error is an RFC 9457
 * problem (or, under /fhir, an OperationOutcome) with a registered code, and nothing internal
 * (stack frames, SQL, driver errors, file paths) shows in any body.
 */
import { problemCodes } from '@carebook/contracts';
import type { LightMyRequestResponse } from 'fastify';

const leaks: [string, RegExp][] = [
  ['stack frame', /\bat [\w.<>]+ \(?[^)\s]*:\d+:\d+/],
  ['source path', /[\w/-]+\.(ts|js|mjs|cjs):\d+/],
  ['node_modules', /node_modules/],
  ['SQL', /\b(SELECT\s+[\w*`"]|INSERT INTO|UPDATE\s+`?\w+`?\s+SET|DELETE FROM)\b/i],
  ['driver error', /\b(ER_[A-Z_]{4,}|SQLITE_[A-Z]+|ECONNREFUSED|ETIMEDOUT)\b/],
  ['JS error', /\b(TypeError|ReferenceError|RangeError|SyntaxError):/],
];

export interface Sent {
  method: string;
  url: string;
  note?: string;
}

/** Returns what is wrong with the answer, or null when it is a proper one. */
export function badAnswer(sent: Sent, res: LightMyRequestResponse): string | null {
  const where = `${sent.method} ${sent.url.slice(0, 160)}${sent.note ? ` [${sent.note}]` : ''}`;
  const body = res.body.slice(0, 200_000);
  if (res.statusCode >= 500) return `${where} -> ${res.statusCode} ${body.slice(0, 300)}`;
  for (const [name, pattern] of leaks) {
    if (pattern.test(body)) return `${where} -> ${res.statusCode} leaks ${name}: ${body.slice(0, 300)}`;
  }
  if (res.statusCode < 400) return null;
  const type = String(res.headers['content-type'] ?? '');
  // A URL the router cannot even decode is refused before any route (so before the FHIR scope's
  // own error handler): that one answer is a problem, under /fhir as everywhere.
  const undecodable =
    res.statusCode === 400 &&
    type.startsWith('application/problem+json') &&
    /"code":"MALFORMED_URL"/.test(body);
  const fhir = sent.url.startsWith('/fhir/') && !undecodable;
  if (fhir) {
    if (!/^application\/(fhir\+)?json/.test(type))
      return `${where} -> ${res.statusCode} content-type ${type}`;
    const outcome = safeJson(body) as { resourceType?: string } | undefined;
    if (outcome?.resourceType !== 'OperationOutcome')
      return `${where} -> ${res.statusCode} not an OperationOutcome: ${body.slice(0, 300)}`;
    return null;
  }
  if (!type.startsWith('application/problem+json'))
    return `${where} -> ${res.statusCode} content-type ${type}: ${body.slice(0, 200)}`;
  const problem = safeJson(body) as { code?: string; status?: number } | undefined;
  if (!problem?.code || !(problem.code in problemCodes))
    return `${where} -> ${res.statusCode} without a registered code: ${body.slice(0, 300)}`;
  if (problem.status !== res.statusCode)
    return `${where} -> ${res.statusCode} but the problem says ${problem.status}`;
  return null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
