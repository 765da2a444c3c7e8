import type { ProblemCode } from '@carebook/contracts';
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../domain/errors';
import type { AuthService } from '../auth/auth.service';
import type { RealtimeHub } from './realtime-hub';

const AUTH_TIMEOUT_MS = 10_000;
const REVALIDATE_MS = 60_000;

/** A client message: a JSON object with a string `type`; anything else is refused. */
type ClientMessage = { type: string; token?: unknown };

function parseClientMessage(raw: Buffer): ClientMessage | 'MALFORMED_JSON' | 'MALFORMED_MESSAGE' {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    return 'MALFORMED_JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'MALFORMED_MESSAGE';
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' ? (value as ClientMessage) : 'MALFORMED_MESSAGE';
}

/**
 * `GET /api/v1/ws`: a WebSocket that pushes booking changes. The client's first message must be
 * `{"type":"auth","token":"<access token>"}` (so the token never appears in a URL or access log);
 * the server answers `{"type":"ready"}`. The session is re-checked before every event and every
 * minute, so a logout, role change or suspension ends the stream. A message that is not a JSON
 * object with a string `type` closes the socket (4400). After a reconnect, fetch what was missed
 * with `GET /api/v1/bookings?updatedSince=<last event time>`.
 */
export async function realtimeRoutes(
  app: FastifyInstance,
  hub: RealtimeHub,
  auth: AuthService,
): Promise<void> {
  await app.register(websocket, { options: { maxPayload: 16 * 1024 } });
  app.addHook('onClose', async () => hub.closeAll());
  app.get('/api/v1/ws', { websocket: true, schema: { hide: true } }, (socket) => {
    // One sign-in at a time: a second auth while the first is checked is refused, and a socket
    // that closed meanwhile is never added to the hub (nor gets a re-check timer).
    let state: 'new' | 'authenticating' | 'ready' | 'closed' = 'new';
    let revalidate: NodeJS.Timeout | null = null;
    const deny = (code: number, reason: ProblemCode) => {
      hub.remove(socket);
      socket.send(JSON.stringify({ type: 'error', code: reason }));
      socket.close(code, reason);
    };
    const authTimer = setTimeout(() => deny(4401, 'UNAUTHENTICATED'), AUTH_TIMEOUT_MS);
    const onMessage = async (raw: Buffer) => {
      if (state === 'closed') return;
      const msg = parseClientMessage(raw);
      if (typeof msg === 'string') return deny(4400, msg);
      if (state === 'authenticating') {
        return socket.send(JSON.stringify({ type: 'error', code: 'FORBIDDEN' }));
      }
      if (state === 'new') {
        if (msg.type !== 'auth' || typeof msg.token !== 'string') return deny(4401, 'UNAUTHENTICATED');
        state = 'authenticating';
        try {
          const principal = await auth.authenticate(msg.token);
          if (state !== 'authenticating') return;
          state = 'ready';
          clearTimeout(authTimer);
          const token = msg.token;
          hub.add(socket, principal);
          socket.send(JSON.stringify({ type: 'ready', userId: principal.userId, role: principal.role }));
          // Every minute the token itself too: an expired or revoked one ends the stream.
          revalidate = setInterval(
            () => void hub.revalidate(socket, () => auth.authenticate(token)),
            REVALIDATE_MS,
          );
        } catch (err) {
          if (state !== 'authenticating') return;
          return deny(4401, err instanceof DomainError ? err.code : 'UNAUTHENTICATED');
        }
        return;
      }
      if (msg.type === 'ping') return socket.send(JSON.stringify({ type: 'pong' }));
      // Clients only listen; there is nothing else they may ask for on this channel.
      socket.send(JSON.stringify({ type: 'error', code: 'FORBIDDEN' }));
    };
    socket.on('message', (raw: Buffer) => {
      // Nothing a client sends may reject unhandled (that would take the process down).
      onMessage(raw).catch((err) => {
        app.log.warn({ err }, 'websocket message handling failed');
        try {
          deny(1011, 'INTERNAL_ERROR');
        } catch {
          // the socket is gone already
        }
      });
    });
    socket.on('close', () => {
      state = 'closed';
      clearTimeout(authTimer);
      if (revalidate) clearInterval(revalidate);
      hub.remove(socket);
    });
  });
}
