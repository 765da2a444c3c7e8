import { DataExport, DeleteAccountBody, ErasureReport, IdParams } from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { metaOf, principalOf } from '../../http/auth-plugin';
import type { DataEraser } from './data-erasure';
import type { DataExporter } from './data-export';

const tags = ['account'];
const day = (iso: string) => iso.slice(0, 10);

/** GDPR rights: export (Art. 15/20) and erasure (Art. 17). docs/security.md, "GDPR rights". */
export function dataRightsRoutes(
  app: FastifyInstance,
  d: { exporter: DataExporter; eraser: DataEraser },
): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/v1/me/export',
    {
      schema: {
        tags,
        summary: 'Download everything Carebook holds about me (JSON file)',
        response: { 200: DataExport },
      },
      config: { docs: { auth: 'required' } },
    },
    async (request, reply) => {
      const data = await d.exporter.export(principalOf(request), metaOf(request));
      return reply
        .header('content-disposition', `attachment; filename="carebook-export-${day(data.exportedAt)}.json"`)
        .send(data);
    },
  );

  r.get(
    '/api/v1/me/export/bookings.ics',
    {
      schema: {
        tags,
        summary: 'Download my bookings as a calendar file (.ics)',
        response: {
          200: {
            description: 'An RFC 5545 calendar (METHOD:PUBLISH) of all my bookings',
            content: { 'text/calendar': { schema: Type.String() } },
          },
        },
      },
      config: { docs: { auth: 'required' } },
    },
    async (request, reply) => {
      const ics = await d.exporter.calendar(principalOf(request), metaOf(request));
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', 'attachment; filename="carebook-bookings.ics"')
        .send(ics);
    },
  );

  r.delete(
    '/api/v1/me',
    {
      schema: {
        tags,
        summary:
          'Erase my account: upcoming bookings cancelled and refunded, personal data removed, what the practice keeps pseudonymised',
        body: DeleteAccountBody,
        response: { 200: ErasureReport },
      },
      config: {
        docs: {
          auth: 'required',
          problems: {
            400: 'VALIDATION_FAILED: the password is not correct',
            409: 'ERASURE_BLOCKED: a visit in progress or past its cancellation deadline, listings owned, or an admin account',
            503: 'SERVICE_UNAVAILABLE: some of their bookings are being moved to another database; the erasure stopped part-way (an admin repeats it)',
          },
        },
      },
    },
    async (request) => d.eraser.eraseSelf(principalOf(request), request.body.password, metaOf(request)),
  );

  r.delete(
    '/api/v1/admin/users/:id/data',
    {
      schema: {
        tags: ['admin'],
        summary:
          "Erase a user's personal data (GDPR Art. 17) on their behalf; also completes an interrupted erasure",
        params: IdParams,
        response: { 200: ErasureReport },
      },
      config: {
        docs: {
          auth: 'required',
          problems: {
            404: 'No such user',
            409: 'ERASURE_BLOCKED: a visit in progress, listings owned, or an admin',
            503: 'SERVICE_UNAVAILABLE: some of their bookings are being moved to another database; repeat to finish',
          },
        },
      },
    },
    async (request) => d.eraser.eraseByAdmin(principalOf(request), request.params.id, metaOf(request)),
  );
}
