import {
  AcceptStaffInvitationBody,
  IdParams,
  NoContent,
  StaffInvitation,
  StaffInvitationBody,
  StaffInvitationPreview,
  StaffInvitationTokenBody,
  StaffOverview,
} from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { metaOf, principalOf } from '../../http/auth-plugin';
import type { StaffInvitationsService } from './staff-invitations.service';

/** A provider's staff: invitations by e-mail, the accept link, and removal. */
export function staffRoutes(app: FastifyInstance, staff: StaffInvitationsService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const providerOnly = { 403: 'Not a provider account, or its e-mail is not confirmed (EMAIL_NOT_VERIFIED)' };

  r.get(
    '/api/v1/provider/staff',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Your staff and open invitations',
        response: { 200: StaffOverview },
      },
      config: { docs: { auth: 'required', problems: providerOnly } },
    },
    async (request) => staff.overview(principalOf(request)),
  );

  r.post(
    '/api/v1/provider/staff/invitations',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'Invite a staff member by e-mail (a single-use link, valid 7 days); the same answer whether or not the address has an account',
        body: StaffInvitationBody,
        response: { 201: StaffInvitation },
      },
      config: { docs: { auth: 'required', problems: providerOnly } },
    },
    async (request, reply) =>
      reply.code(201).send(await staff.invite(principalOf(request), request.body.email, metaOf(request))),
  );

  r.delete(
    '/api/v1/provider/staff/invitations/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Revoke an open invitation',
        params: IdParams,
        response: { 204: NoContent },
      },
      config: {
        docs: { auth: 'required', problems: { ...providerOnly, 404: 'No open invitation of yours' } },
      },
    },
    async (request, reply) => {
      await staff.revokeInvitation(principalOf(request), request.params.id, metaOf(request));
      return reply.code(204).send(null);
    },
  );

  r.delete(
    '/api/v1/provider/staff/:id',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Remove a staff member: their account becomes a patient account and is signed out',
        params: IdParams,
        response: { 204: NoContent },
      },
      config: { docs: { auth: 'required', problems: { ...providerOnly, 404: 'No staff member of yours' } } },
    },
    async (request, reply) => {
      await staff.removeStaff(principalOf(request), request.params.id, metaOf(request));
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/api/v1/auth/staff-invitations/preview',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'What an invitation link is for (only its holder, who controls the address, learns whether it has an account)',
        body: StaffInvitationTokenBody,
        response: { 200: StaffInvitationPreview },
      },
      config: {
        docs: {
          auth: 'none',
          problems: { 400: 'Unknown, expired, used or revoked link (ACCOUNT_LINK_INVALID)' },
        },
      },
    },
    async (request) => staff.preview(request.body.token),
  );

  r.post(
    '/api/v1/auth/staff-invitations/accept',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'Accept an invitation: with a new account (name and password) or the existing one (its password)',
        body: AcceptStaffInvitationBody,
        response: { 200: Type.Object({ email: Type.String() }) },
      },
      config: {
        docs: {
          auth: 'none',
          problems: {
            400: 'Invalid link (ACCOUNT_LINK_INVALID) or missing name/password',
            401: 'Wrong password of the existing account',
            409: 'The address belongs to a provider or admin account',
          },
        },
      },
    },
    async (request) => staff.accept(request.body, metaOf(request)),
  );
}
