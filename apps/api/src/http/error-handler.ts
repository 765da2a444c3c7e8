import type { ProblemCode } from '@carebook/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors';
import { isBucketMoving } from '../lib/db-errors';
import { type ProblemBody, problemBody } from './problem';
import { fieldErrors } from './validation';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ProblemCode,
  detail: string,
  extras: Pick<ProblemBody, 'errors' | 'currentVersion' | 'retryAfterSeconds' | 'conflicts'> = {},
): FastifyReply {
  const body = problemBody(code, detail, request.id, request.url.split('?')[0], extras);
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** Fastify's own error codes, mapped onto the problem registry. */
const fastifyCodes: Record<string, { code: ProblemCode; detail: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'MALFORMED_JSON', detail: 'The request body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'MALFORMED_JSON',
    detail: 'The request says it has a JSON body but the body is empty.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'PAYLOAD_TOO_LARGE',
    detail: 'The request body is larger than allowed.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'Send the body as application/json.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'VALIDATION_FAILED',
    detail: 'The Content-Length header does not match the body.',
  },
};

/** Router errors Fastify answers before any route (and error handler) is involved. */
const routerCodes: Record<string, { code: ProblemCode; detail: string }> = {
  FST_ERR_BAD_URL: { code: 'MALFORMED_URL', detail: 'The URL is not valid: check its percent-encoding.' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'URI_TOO_LONG', detail: 'A part of the URL is longer than allowed.' },
  FST_ERR_ASYNC_CONSTRAINT: { code: 'VALIDATION_FAILED', detail: 'The request could not be routed.' },
};

/**
 * Fastify's `frameworkErrors` option: its router's own errors (bad percent-encoding, a path
 * parameter over `maxParamLength`) become problems like every other error. The URL is never
 * echoed back; only the path before the bad part would be safe, and it is not needed.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const mapped = routerCodes[error.code] ?? {
    code: 'VALIDATION_FAILED' as const,
    detail: 'The request could not be accepted.',
  };
  const body = problemBody(mapped.code, mapped.detail, request.id, undefined, {});
  void reply
    .code(body.status)
    .header('x-request-id', request.id)
    .header('cache-control', 'no-store')
    .type(PROBLEM_CONTENT_TYPE)
    .send(body);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      const { errors, currentVersion, retryAfterSeconds, conflicts } = error.extras;
      if (error.code === 'VERSION_CONFLICT' && currentVersion !== undefined) {
        reply.header('etag', `"${currentVersion}"`);
      }
      if (error.extras.retryAfterSeconds !== undefined) {
        reply.header('retry-after', String(error.extras.retryAfterSeconds));
      }
      return sendProblem(request, reply, error.code, error.detail, {
        ...(errors ? { errors } : {}),
        ...(currentVersion !== undefined ? { currentVersion } : {}),
        ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
        ...(conflicts ? { conflicts } : {}),
      });
    }
    if (isBucketMoving(error)) {
      // A write outside the bookings front (a job, a webhook) met a bucket being moved.
      reply.header('retry-after', '1');
      return sendProblem(
        request,
        reply,
        'SERVICE_UNAVAILABLE',
        'These bookings are being moved to another database; try again in a moment.',
        { retryAfterSeconds: 1 },
      );
    }
    if (error.validation) {
      const errors = fieldErrors(error.validation as never, error.validationContext);
      const summary = errors.map((e) => `${e.path} ${e.message}`).join('; ');
      return sendProblem(request, reply, 'VALIDATION_FAILED', `The request is not valid: ${summary}.`, {
        errors,
      });
    }
    const mapped = error.code ? fastifyCodes[error.code] : undefined;
    if (mapped) return sendProblem(request, reply, mapped.code, mapped.detail);
    if (error.statusCode === 429) {
      return sendProblem(
        request,
        reply,
        'TOO_MANY_REQUESTS',
        'Too many requests; slow down and retry later.',
      );
    }
    if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return sendProblem(request, reply, 'MALFORMED_JSON', 'The request body is not valid JSON.');
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Any other client error from a plugin: keep its status class, never leak internals.
      request.log.info({ err: error }, 'client error from framework');
      const code: ProblemCode =
        error.statusCode === 404
          ? 'NOT_FOUND'
          : error.statusCode === 415
            ? 'UNSUPPORTED_MEDIA_TYPE'
            : 'VALIDATION_FAILED';
      return sendProblem(request, reply, code, 'The request could not be accepted.');
    }
    // Logged once, with its fingerprint, by the observability module's onResponse hook.
    return sendProblem(
      request,
      reply,
      'INTERNAL_ERROR',
      `An unexpected error occurred. Quote request id ${request.id} when reporting it.`,
    );
  });
}

/**
 * Unknown routes get a problem; with the web app built, a browser GET outside the API gets
 * index.html instead, for client-side routing.
 */
export function registerNotFound(app: FastifyInstance, serveSpa: boolean): void {
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const isApi = path === '/api' || path.startsWith('/api/') || path === '/healthz' || path === '/readyz';
    const wantsHtml = (request.headers.accept ?? '').includes('text/html');
    if (serveSpa && !isApi && wantsHtml && (request.method === 'GET' || request.method === 'HEAD')) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendProblem(request, reply, 'ROUTE_NOT_FOUND', `There is no ${request.method} ${path}.`);
  });
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Honour a sane incoming X-Request-Id, otherwise make one. */
export function requestIdFrom(header: string | string[] | undefined, fallback: () => string): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID.test(value) ? value : fallback();
}
