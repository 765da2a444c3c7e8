import { type ProblemCode, problemCodes } from '@carebook/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors';
import { fieldErrors } from '../../http/validation';
import { FHIR_CONTENT_TYPE, type FhirResource } from './fhir-types';

/** FHIR issue-type codes (http://hl7.org/fhir/issue-type) for our problem codes. */
const issueCode: Partial<Record<ProblemCode, string>> = {
  VALIDATION_FAILED: 'invalid',
  MALFORMED_JSON: 'structure',
  UNAUTHENTICATED: 'login',
  INVALID_TOKEN: 'login',
  ACCOUNT_SUSPENDED: 'suppressed',
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'not-found',
  ROUTE_NOT_FOUND: 'not-supported',
  METHOD_NOT_ALLOWED: 'not-supported',
  NOT_ACCEPTABLE: 'not-supported',
  SLOT_TAKEN: 'conflict',
  INVALID_TRANSITION: 'business-rule',
  CANCELLATION_WINDOW_PASSED: 'business-rule',
  NOT_BOOKABLE: 'business-rule',
  CONFLICT: 'conflict',
  VERSION_CONFLICT: 'conflict',
  IDEMPOTENCY_KEY_REUSED: 'duplicate',
  UNPROCESSABLE: 'processing',
  PAYLOAD_TOO_LARGE: 'too-long',
  UNSUPPORTED_MEDIA_TYPE: 'not-supported',
  TOO_MANY_REQUESTS: 'throttled',
  SERVICE_UNAVAILABLE: 'transient',
  INTERNAL_ERROR: 'exception',
};

export function operationOutcome(code: ProblemCode, detail: string, expression: string[] = []): FhirResource {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: code === 'INTERNAL_ERROR' ? 'fatal' : 'error',
        code: issueCode[code] ?? 'processing',
        details: { coding: [{ system: 'urn:carebook:problem', code }], text: detail },
        diagnostics: detail,
        ...(expression.length ? { expression } : {}),
      },
    ],
  };
}

export function sendOutcome(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ProblemCode,
  detail: string,
  expression: string[] = [],
): FastifyReply {
  reply.header('x-request-id', request.id);
  return reply
    .code(problemCodes[code].status)
    .type(FHIR_CONTENT_TYPE)
    .send(operationOutcome(code, detail, expression));
}

/**
 * Inside the `/fhir` scope every error is an `OperationOutcome` (FHIR clients parse nothing else);
 * outside it, `http/error-handler` keeps answering problem+json.
 */
export function registerOperationOutcomes(scope: FastifyInstance): void {
  scope.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      if (error.extras.retryAfterSeconds !== undefined)
        reply.header('retry-after', String(error.extras.retryAfterSeconds));
      return sendOutcome(
        request,
        reply,
        error.code,
        error.detail,
        (error.extras.errors ?? []).map((e) => e.path),
      );
    }
    if (error.validation) {
      const errors = fieldErrors(error.validation as never, error.validationContext);
      const summary = errors.map((e) => `${e.path} ${e.message}`).join('; ');
      return sendOutcome(
        request,
        reply,
        'VALIDATION_FAILED',
        `The request is not valid: ${summary}.`,
        errors.map((e) => e.path),
      );
    }
    if (
      error instanceof SyntaxError ||
      error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
    )
      return sendOutcome(request, reply, 'MALFORMED_JSON', 'The request body is not valid JSON.');
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return sendOutcome(request, reply, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/fhir+json.');
    if (error.statusCode === 429)
      return sendOutcome(
        request,
        reply,
        'TOO_MANY_REQUESTS',
        'Too many requests; slow down and retry later.',
      );
    if (error.statusCode === 413)
      return sendOutcome(request, reply, 'PAYLOAD_TOO_LARGE', 'The request body is larger than allowed.');
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      request.log.info({ err: error }, 'client error from framework');
      return sendOutcome(request, reply, 'VALIDATION_FAILED', 'The request could not be accepted.');
    }
    request.log.error({ err: error }, 'unexpected error');
    return sendOutcome(
      request,
      reply,
      'INTERNAL_ERROR',
      `An unexpected error occurred. Quote request id ${request.id} when reporting it.`,
    );
  });
  scope.setNotFoundHandler((request, reply) =>
    sendOutcome(
      request,
      reply,
      'ROUTE_NOT_FOUND',
      `There is no ${request.method} ${request.url.split('?')[0]} on this FHIR server.`,
    ),
  );
}
