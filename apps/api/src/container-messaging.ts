import type { FastifyBaseLogger } from 'fastify';
import { DevSmsInbox } from './adapters/sms/dev-inbox';
import { TwilioSms } from './adapters/sms/twilio';
import type { Config } from './config/config';
import type { Adapters } from './container';
import { bookingDatabases } from './container-bookings';
import { SmsReminderJob } from './jobs/reminders';
import type { UsersRepository } from './modules/accounts/users.repository';
import { MessagingRepository, type MessagingRepositoryDeps } from './modules/messaging/messaging.repository';
import { TWILIO_STATUS_PATH } from './modules/messaging/messaging.routes';
import { MessagingService } from './modules/messaging/messaging.service';
import type { Mailer } from './ports/mailer';
import type { SmsSender } from './ports/sms';

/** SMS reminders: the sender from config, the messaging service and the leased reminder job. */
export function createMessaging(
  config: Config,
  adapters: Adapters,
  d: { users: UsersRepository; mailer: Mailer; log: FastifyBaseLogger } & MessagingRepositoryDeps,
) {
  const c = config.messaging.sms;
  const devSmsInbox =
    c.kind === 'inbox' ? new DevSmsInbox(adapters.dbs.inventory.db, d.privacy, adapters.clock) : null;
  const sms: SmsSender | null =
    adapters.sms ??
    devSmsInbox ??
    (c.kind === 'twilio'
      ? new TwilioSms({
          accountSid: c.accountSid,
          authToken: c.authToken,
          from: c.from,
          ...(c.apiUrl ? { apiUrl: c.apiUrl } : {}),
        })
      : null);
  if (!sms) return { devSmsInbox, smsSender: null, messaging: null, smsReminders: null };
  const messagingRepo = new MessagingRepository(adapters.dbs.inventory.db, d);
  const messaging = new MessagingService({
    repo: messagingRepo,
    users: d.users,
    sms,
    mailer: d.mailer,
    clock: adapters.clock,
    log: d.log,
    statusCallbackUrl: sms.verifyWebhook ? config.publicUrl.replace(/\/$/, '') + TWILIO_STATUS_PATH : null,
  });
  const smsReminders = new SmsReminderJob({
    bookingsDbs: bookingDatabases(adapters.dbs).map((d) => d.db),
    repo: messagingRepo,
    messaging,
    clock: adapters.clock,
    offsetsMinutes: config.messaging.reminderOffsetsMinutes,
    log: d.log,
  });
  return { devSmsInbox, smsSender: sms, messaging, smsReminders };
}
