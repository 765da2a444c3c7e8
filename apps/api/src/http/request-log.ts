import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { LazyRequestLogger } from './request-logger';

/**
 * One log line per request instead of Fastify's two ("incoming request" with the serialised
 * request, then "request completed"): method, URL, status and time in a flat object, which is
 * what the per-request log needs and a fraction of the logger's work. Errors, not-found routes and
 * everything else keep Fastify's default lines (with the request), and the request id is on every
 * line as before (`reqId`).
 */
export class OneLineRequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error) {
      super.requestCompleted(error, request, reply);
      return;
    }
    const line = {
      method: request.method,
      url: request.url,
      statusCode: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime * 100) / 100,
    };
    // Without making the per-request child logger when nothing else logged (request-logger.ts).
    if (reply.log instanceof LazyRequestLogger) reply.log.infoWithBindings(line, 'request completed');
    else reply.log.info(line, 'request completed');
  }
}
