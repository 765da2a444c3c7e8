import type { FormObject, FormValue } from './form-encoding';

/** Stripe's error responses and parameter checks, for the fake Stripe server. */
export class WireError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }
  toBody() {
    return { error: { type: this.type, message: this.message, code: this.code, param: this.param } };
  }
}

export function allowOnly(params: FormObject, allowed: string[]): void {
  const unknown = Object.keys(params).find((k) => !allowed.includes(k));
  if (unknown)
    throw new WireError(
      400,
      'invalid_request_error',
      `Received unknown parameter: ${unknown}`,
      'parameter_unknown',
      unknown,
    );
}

export function stringParam(params: FormObject, name: string, required: boolean): string | undefined {
  const value = params[name];
  if (value === undefined) {
    if (required)
      throw new WireError(
        400,
        'invalid_request_error',
        `Missing required param: ${name}.`,
        'parameter_missing',
        name,
      );
    return undefined;
  }
  if (typeof value !== 'string')
    throw new WireError(
      400,
      'invalid_request_error',
      `Invalid string: ${name}`,
      'parameter_invalid_string',
      name,
    );
  return value;
}

export function integerParam(params: FormObject, name: string, required: boolean): number | undefined {
  const value = stringParam(params, name, required);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new WireError(
      400,
      'invalid_request_error',
      `Invalid integer: ${value}`,
      'parameter_invalid_integer',
      name,
    );
  return Number(value);
}

/** Parameters in a stable order, so replays compare by content, not by encoding order. */
export function canonical(value: FormValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k] as FormValue)}`).join(',')}}`;
}
