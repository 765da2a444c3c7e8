/**
 * Decodes an application/x-www-form-urlencoded body in the bracket notation Stripe's API takes
 * (`metadata[bookingId]=…`, `expand[0]=…`, `items[][price]=…`) into nested objects and arrays.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

export function decodeForm(body: string): FormObject {
  const root: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const path = keyPath(rawKey);
    if (!path) throw new Error(`Invalid parameter name: ${rawKey}`);
    assign(root, path, value);
  }
  return normaliseArrays(root) as FormObject;
}

function keyPath(key: string): string[] | null {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match?.[1]) return null;
  const rest = [...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? '');
  return [match[1], ...rest];
}

function assign(target: FormObject, path: string[], value: string): void {
  let node: FormObject = target;
  path.forEach((segment, i) => {
    const key = segment === '' ? String(Object.keys(node).length) : segment;
    if (i === path.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (next === undefined || typeof next === 'string' || Array.isArray(next)) node[key] = {};
    node = node[key] as FormObject;
  });
}

/** Objects whose keys are exactly 0..n-1 become arrays. */
function normaliseArrays(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const entries = Object.entries(value).map(([k, v]) => [k, normaliseArrays(v)] as const);
  const isArray = entries.length > 0 && entries.every(([k], i) => k === String(i));
  return isArray ? entries.map(([, v]) => v) : Object.fromEntries(entries);
}
