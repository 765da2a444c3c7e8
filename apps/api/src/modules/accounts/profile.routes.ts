import { PatientProfile, PatientProfileUpdate } from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../../http/auth-plugin';
import type { ProfileService } from './profile.service';

export function profileRoutes(app: FastifyInstance, profile: ProfileService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/api/v1/me/profile',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Your patient profile: phone, date of birth, preferred language (stored encrypted)',
        response: { 200: PatientProfile },
      },
      config: { docs: { auth: 'required', problems: { 403: 'Not a patient account' } } },
    },
    async (request) => profile.get(principalOf(request)),
  );
  r.patch(
    '/api/v1/me/profile',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Change your patient profile; only the fields sent change, null clears one',
        body: PatientProfileUpdate,
        response: { 200: PatientProfile },
      },
      config: { docs: { auth: 'required', problems: { 403: 'Not a patient account' } } },
    },
    async (request) => profile.update(principalOf(request), request.body),
  );
}
