/**
 * The one registry of stable problem codes. Every error the API returns carries one of these
 * codes; clients switch on `code`, never on `title` or `detail`.
 */
export const problemCodes = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  MALFORMED_JSON: { status: 400, title: 'The request body is not valid JSON' },
  MALFORMED_URL: { status: 400, title: 'The URL is not valid' },
  MALFORMED_REQUEST: { status: 400, title: 'The HTTP request could not be parsed' },
  MALFORMED_MESSAGE: { status: 400, title: 'The message is not a JSON object with a string type' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication is required' },
  INVALID_TOKEN: { status: 401, title: 'The access token is not valid' },
  INVALID_CREDENTIALS: { status: 401, title: 'The e-mail or password is not correct' },
  INVALID_REFRESH_TOKEN: { status: 401, title: 'The refresh token is not valid' },
  REFRESH_TOKEN_REUSED: { status: 401, title: 'The refresh token was already used' },
  SESSION_ENDED: { status: 401, title: 'The session has ended' },
  WEBHOOK_SIGNATURE_INVALID: { status: 403, title: 'The webhook signature is not valid' },
  ACCOUNT_SUSPENDED: { status: 403, title: 'The account is suspended' },
  EMAIL_NOT_VERIFIED: { status: 403, title: 'Confirm your e-mail address first' },
  EMAIL_NOT_CONFIRMED: { status: 403, title: 'Confirm your e-mail address to sign in' },
  FORBIDDEN: { status: 403, title: 'You are not allowed to do this' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such endpoint' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  NOT_ACCEPTABLE: { status: 406, title: 'Not acceptable' },
  VERSION_CONFLICT: { status: 409, title: 'The resource was changed by someone else' },
  SLOT_TAKEN: { status: 409, title: 'The slot is no longer available' },
  INVALID_TRANSITION: { status: 409, title: 'The booking cannot move to that state' },
  CANCELLATION_WINDOW_PASSED: { status: 409, title: 'It is too late to cancel this booking online' },
  REVIEW_NOT_ALLOWED: { status: 409, title: 'Only a completed visit of yours can be reviewed' },
  WAITLIST_OFFER_CLOSED: { status: 409, title: 'This waitlist offer is no longer open' },
  REVIEW_EXISTS: { status: 409, title: 'This visit has already been reviewed' },
  REVIEW_WINDOW_CLOSED: { status: 409, title: 'It is too late to review this visit' },
  NOT_BOOKABLE: { status: 409, title: 'This time cannot be booked' },
  SERIES_CONFLICT: { status: 409, title: 'Some dates of the series cannot be booked' },
  SERIES_NOT_ALLOWED: { status: 422, title: 'This series cannot be booked online' },
  ERASURE_BLOCKED: { status: 409, title: 'The account cannot be erased yet' },
  SMS_CONSENT_REQUIRED: { status: 422, title: 'SMS reminders need a phone number and consent' },
  ACCOUNT_LINK_INVALID: { status: 400, title: 'The link is invalid, expired or already used' },
  REASON_REQUIRED: { status: 400, title: 'A reason is required' },
  PAYMENT_DECLINED: { status: 402, title: 'The payment was declined' },
  CONFLICT: { status: 409, title: 'The request conflicts with the current state' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  URI_TOO_LONG: { status: 414, title: 'The URL is too long' },
  REQUEST_TIMEOUT: { status: 408, title: 'The request took too long to arrive' },
  HEADERS_TOO_LARGE: { status: 431, title: 'The request headers are too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The content type is not supported' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'The idempotency key was used with another request' },
  UNPROCESSABLE: { status: 422, title: 'The request cannot be processed' },
  PRECONDITION_REQUIRED: { status: 428, title: 'An If-Match header is required' },
  TOO_MANY_REQUESTS: { status: 429, title: 'Too many requests' },
  INTERNAL_ERROR: { status: 500, title: 'Something went wrong on our side' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'The service is temporarily unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof problemCodes;

/** RFC 9457 `type` for a code: a URN, stable and never dereferenced. */
export function problemType(code: ProblemCode): string {
  return `urn:carebook:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}
