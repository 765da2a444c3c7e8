import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ProblemCode } from '@carebook/contracts';
import { newId } from '../lib/ids';
import { PROBLEM_CONTENT_TYPE } from './error-handler';
import { problemBody } from './problem';

const byNodeCode: Record<string, { code: ProblemCode; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { code: 'REQUEST_TIMEOUT', detail: 'The request did not arrive in time.' },
  HPE_HEADER_OVERFLOW: { code: 'HEADERS_TOO_LARGE', detail: 'The request headers are larger than allowed.' },
};

/**
 * Fastify's `clientErrorHandler`: a request Node's HTTP parser refuses (a broken request line,
 * bad chunked framing, a Content-Length that is not a number, oversized headers) is answered with a
 * problem like every other error instead of Fastify's own JSON, then the connection is closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const mapped = byNodeCode[error.code ?? ''] ?? {
    code: 'MALFORMED_REQUEST' as const,
    detail: 'The HTTP request could not be parsed.',
  };
  const requestId = newId();
  const problem = problemBody(mapped.code, mapped.detail, requestId, undefined);
  const body = JSON.stringify(problem);
  // Node's own rule: not when a response on this connection has begun (its headers are out), or
  // the raw answer would run into that response.
  const current = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !current?.headersSent) {
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
