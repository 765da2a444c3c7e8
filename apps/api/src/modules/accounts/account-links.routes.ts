import {
  EmailVerified,
  NoContent,
  PasswordResetAccepted,
  PasswordResetConfirmBody,
  PasswordResetRequestBody,
  RegisterAccepted,
  RegisterBody,
  VerifyEmailBody,
} from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { metaOf, principalOf } from '../../http/auth-plugin';
import { assertCan } from '../auth/permissions';
import type { PasswordResetService } from './password-reset.service';
import type { SignUpService } from './sign-up.service';

/** Sign-up, e-mail verification and password reset: the flows that go through an e-mailed link. */
export function accountLinksRoutes(
  app: FastifyInstance,
  s: { signUp: SignUpService; passwordReset: PasswordResetService },
): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/api/v1/auth/register',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Sign up as a patient or a provider. The answer is the same whether or not the address already has an account; the new account gets a verification e-mail, an existing one a note to its owner',
        body: RegisterBody,
        response: { 202: RegisterAccepted },
      },
      config: { docs: { auth: 'none' } },
    },
    async (request, reply) => reply.code(202).send(await s.signUp.register(request.body, metaOf(request))),
  );

  r.post(
    '/api/v1/auth/verify-email',
    {
      schema: {
        tags: ['auth'],
        summary: 'Confirm an e-mail address with the single-use token from the verification e-mail',
        body: VerifyEmailBody,
        response: { 200: EmailVerified },
      },
      config: {
        docs: { auth: 'none', problems: { 400: 'Unknown, expired or used link (ACCOUNT_LINK_INVALID)' } },
      },
    },
    async (request) => s.signUp.verify(request.body.token, metaOf(request)),
  );

  r.post(
    '/api/v1/auth/verify-email/resend',
    {
      schema: {
        tags: ['auth'],
        summary: 'Send a new verification e-mail to the signed-in user (nothing when already confirmed)',
        body: Type.Object({}, { additionalProperties: false, description: 'An empty object' }),
        response: { 204: NoContent },
      },
      config: { docs: { auth: 'required', problems: { 429: 'Too many resends' } } },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      assertCan(principal.role, 'account.read');
      await s.signUp.resend(principal, metaOf(request));
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/api/v1/auth/password-reset',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Ask for a password-reset link by e-mail. Always 202 with the same body, whether or not the address has an account',
        body: PasswordResetRequestBody,
        response: { 202: PasswordResetAccepted },
      },
      config: {
        docs: { auth: 'none', problems: { 429: 'Too many requests for this address or from this IP' } },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await s.passwordReset.request(request.body.email, metaOf(request))),
  );

  r.post(
    '/api/v1/auth/password-reset/confirm',
    {
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with the single-use reset token; every session of the account is ended',
        body: PasswordResetConfirmBody,
        response: { 200: Type.Object({ sessionsRevoked: Type.Integer({ minimum: 0 }) }) },
      },
      config: {
        docs: { auth: 'none', problems: { 400: 'Unknown, expired or used link (ACCOUNT_LINK_INVALID)' } },
      },
    },
    async (request) => ({
      sessionsRevoked: await s.passwordReset.confirm(
        request.body.token,
        request.body.newPassword,
        metaOf(request),
      ),
    }),
  );
}
