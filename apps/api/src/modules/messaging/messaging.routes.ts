import { MessagingPreferences, MessagingPreferencesUpdate } from '@carebook/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../../http/auth-plugin';
import type { MessagingService } from './messaging.service';

export const TWILIO_STATUS_PATH = '/api/v1/messaging/twilio/status';
export const TWILIO_INBOUND_PATH = '/api/v1/messaging/twilio/inbound';

const FormParams = Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 2000 }));
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

export function messagingRoutes(
  app: FastifyInstance,
  messaging: MessagingService,
  opts: { publicUrl: string; webhooks: boolean },
): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/v1/me/messaging',
    {
      schema: {
        tags: ['messaging'],
        summary: 'My reminder channels, mobile number and SMS consent',
        response: { 200: MessagingPreferences },
      },
      config: { docs: { auth: 'required' } },
    },
    async (request) => messaging.preferences(principalOf(request).userId),
  );

  r.put(
    '/api/v1/me/messaging',
    {
      schema: {
        tags: ['messaging'],
        summary: 'Choose reminder channels (e-mail and/or SMS); SMS needs a number and consent',
        body: MessagingPreferencesUpdate,
        response: { 200: MessagingPreferences },
      },
      config: { docs: { auth: 'required', problems: { 422: 'SMS chosen without a number or consent' } } },
    },
    async (request) => messaging.updatePreferences(principalOf(request).userId, request.body),
  );

  if (!opts.webhooks) return;
  // Twilio posts form-encoded parameters and signs the full URL plus every parameter.
  app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 65_536 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    const s = scope.withTypeProvider<TypeBoxTypeProvider>();
    const verified = (url: string, body: Record<string, string>, signature: unknown) =>
      messaging.verifyWebhook(
        opts.publicUrl.replace(/\/$/, '') + url,
        body,
        typeof signature === 'string' ? signature : undefined,
      );

    s.post(
      TWILIO_STATUS_PATH,
      {
        schema: {
          tags: ['messaging'],
          summary: 'Twilio message status callback (X-Twilio-Signature verified)',
          body: FormParams,
          response: { 200: Type.Object({ received: Type.Literal(true), result: Type.String() }) },
        },
        config: { docs: { auth: 'none', problems: { 403: 'Bad signature' } } },
      },
      async (request) => {
        verified(request.url, request.body, request.headers['x-twilio-signature']);
        const ref = (request.query as { sms?: unknown }).sms;
        return {
          received: true as const,
          result: await messaging.statusCallback(request.body, typeof ref === 'string' ? ref : undefined),
        };
      },
    );

    s.post(
      TWILIO_INBOUND_PATH,
      {
        schema: {
          tags: ['messaging'],
          summary: 'Twilio inbound SMS webhook: STOP/UNSUBSCRIBE opt out, START opts back in',
          body: FormParams,
        },
        config: { docs: { auth: 'none', problems: { 403: 'Bad signature' } } },
      },
      async (request, reply) => {
        verified(request.url, request.body, request.headers['x-twilio-signature']);
        const result = await messaging.inbound(request.body);
        request.log.info({ result }, 'inbound SMS');
        return reply.type('text/xml; charset=utf-8').send(EMPTY_TWIML);
      },
    );
  });
}
