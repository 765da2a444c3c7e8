import { User } from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../../http/auth-plugin';
import type { AuthService } from '../auth/auth.service';
import { assertCan } from '../auth/permissions';

export function accountsRoutes(app: FastifyInstance, auth: AuthService): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/api/v1/me',
    {
      schema: { tags: ['accounts'], summary: 'The signed-in user', response: { 200: User } },
      config: { docs: { auth: 'required' } },
    },
    async (request) => {
      const principal = principalOf(request);
      assertCan(principal.role, 'account.read');
      return auth.me(principal);
    },
  );
}
