import {
  AuthResult,
  ChangePasswordBody,
  IdParams,
  LoginBody,
  NoContent,
  RefreshBody,
  SessionList,
} from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { metaOf, principalOf } from '../../http/auth-plugin';
import type { AuthService } from './auth.service';
import { assertCan } from './permissions';

export function authRoutes(app: FastifyInstance, auth: AuthService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password',
        body: LoginBody,
        response: { 200: AuthResult },
      },
      config: {
        docs: {
          auth: 'none',
          problems: { 401: 'Wrong e-mail or password (one answer for both)', 403: 'Account suspended' },
        },
      },
    },
    async (request) => auth.login(request.body, metaOf(request)),
  );

  r.post(
    '/api/v1/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        summary: 'Trade a refresh token for new tokens (the refresh token rotates)',
        body: RefreshBody,
        response: { 200: AuthResult },
      },
      config: {
        docs: {
          auth: 'none',
          problems: {
            401: 'Invalid, expired or reused refresh token (reuse revokes the session)',
            403: 'Suspended',
          },
        },
      },
    },
    async (request) => auth.refresh(request.body.refreshToken, metaOf(request)),
  );

  r.post(
    '/api/v1/auth/logout',
    {
      schema: { tags: ['auth'], summary: 'End the current session', response: { 204: NoContent } },
      config: { docs: { auth: 'required' } },
    },
    async (request, reply) => {
      await auth.logout(principalOf(request), metaOf(request));
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/v1/sessions',
    {
      schema: { tags: ['auth'], summary: 'Your active sessions', response: { 200: SessionList } },
      config: { docs: { auth: 'required' } },
    },
    async (request) => {
      const principal = principalOf(request);
      assertCan(principal.role, 'session.manage_own');
      return { items: await auth.listSessions(principal) };
    },
  );

  r.delete(
    '/api/v1/sessions/:id',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke one of your sessions',
        params: IdParams,
        response: { 204: NoContent },
      },
      config: { docs: { auth: 'required', problems: { 404: 'No such active session of yours' } } },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      assertCan(principal.role, 'session.manage_own');
      await auth.revokeSession(principal, request.params.id, metaOf(request));
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/api/v1/me/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change your password; every other session is signed out',
        body: ChangePasswordBody,
        response: { 200: Type.Object({ otherSessionsRevoked: Type.Integer({ minimum: 0 }) }) },
      },
      config: { docs: { auth: 'required' } },
    },
    async (request) => {
      const principal = principalOf(request);
      assertCan(principal.role, 'account.change_password');
      const { currentPassword, newPassword } = request.body;
      return {
        otherSessionsRevoked: await auth.changePassword(
          principal,
          currentPassword,
          newPassword,
          metaOf(request),
        ),
      };
    },
  );
}
