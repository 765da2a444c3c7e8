import type { FastifyReply } from 'fastify';

/**
 * Sends a body that is JSON text already (serialised by the route's own serializer once and
 * cached as text): with a JSON content type Fastify sends a string as it is, skipping the
 * preSerialization hooks and the serializer. The route's response schema still documents it.
 */
export function sendJsonText(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}
