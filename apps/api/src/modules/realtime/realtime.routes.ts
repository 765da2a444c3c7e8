import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../domain/errors';
import type { AuthService } from '../auth/auth.service';
import type { RealtimeHub } from './realtime-hub';

const AUTH_TIMEOUT_MS = 10_000;
const REVALIDATE_MS = 60_000;

/**
 * `GET /api/v1/ws`: a WebSocket that pushes booking changes. The client's first message must be
 * `{"type":"auth","token":"<access token>"}` (so the token never appears in a URL or access log);
 * the server answers `{"type":"ready"}`. The session is re-checked every minute, so a logout or
 * suspension ends the stream. After a reconnect, fetch what was missed with
 * `GET /api/v1/bookings?updatedSince=<last event time>`.
 */
export async function realtimeRoutes(
  app: FastifyInstance,
  hub: RealtimeHub,
  auth: AuthService,
): Promise<void> {
  await app.register(websocket, { options: { maxPayload: 16 * 1024 } });
  app.addHook('onClose', async () => hub.closeAll());
  app.get('/api/v1/ws', { websocket: true, schema: { hide: true } }, (socket) => {
    let token: string | null = null;
    let revalidate: NodeJS.Timeout | null = null;
    const deny = (code: number, reason: string) => {
      socket.send(JSON.stringify({ type: 'error', code: reason }));
      socket.close(code, reason);
    };
    const authTimer = setTimeout(() => deny(4401, 'UNAUTHENTICATED'), AUTH_TIMEOUT_MS);
    socket.on('message', async (raw: Buffer) => {
      let msg: { type?: unknown; token?: unknown };
      try {
        msg = JSON.parse(raw.toString('utf8'));
      } catch {
        return deny(4400, 'MALFORMED_JSON');
      }
      if (token === null) {
        if (msg.type !== 'auth' || typeof msg.token !== 'string') return deny(4401, 'UNAUTHENTICATED');
        try {
          const principal = await auth.authenticate(msg.token);
          token = msg.token;
          clearTimeout(authTimer);
          hub.add(socket, principal);
          socket.send(JSON.stringify({ type: 'ready', userId: principal.userId, role: principal.role }));
          revalidate = setInterval(async () => {
            try {
              await auth.authenticate(token as string);
            } catch {
              hub.remove(socket);
              deny(4401, 'SESSION_ENDED');
            }
          }, REVALIDATE_MS);
        } catch (err) {
          return deny(4401, err instanceof DomainError ? err.code : 'UNAUTHENTICATED');
        }
        return;
      }
      if (msg.type === 'ping') return socket.send(JSON.stringify({ type: 'pong' }));
      // Clients only listen; there is nothing else they may ask for on this channel.
      socket.send(JSON.stringify({ type: 'error', code: 'FORBIDDEN' }));
    });
    socket.on('close', () => {
      clearTimeout(authTimer);
      if (revalidate) clearInterval(revalidate);
      hub.remove(socket);
    });
  });
}
