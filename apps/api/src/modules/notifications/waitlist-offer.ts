import type { WaitlistOfferedPayload } from '@carebook/contracts';
import type { NotificationContext } from './compose';
import { formatInstant, formatShort, formatWhen } from './format';

/**
 * The patient's message about a waitlist offer: which practice, when (zone-labelled), until when
 * it is held, and where to accept or decline it.
 */
export function composeWaitlistOffer(p: WaitlistOfferedPayload, ctx: NotificationContext) {
  const zone = ctx.booking.timeZone;
  const when = formatWhen(new Date(p.start), new Date(p.end), zone);
  const until = formatInstant(new Date(p.expiresAt), zone);
  const link = `${ctx.webUrl.replace(/\/$/, '')}/waitlist`;
  const body = `A time came free at ${ctx.providerName} (${ctx.serviceName}): ${when}. It is held for you until ${until}. Accept or decline it at ${link}; if you do nothing, it goes to the next patient.`;
  return {
    inApp: { title: `A time is held for you at ${ctx.providerName}`, body },
    mail: {
      to: ctx.patient.email,
      subject: `Waitlist: ${ctx.providerName}, ${formatShort(new Date(p.start), zone)} is held for you`,
      text: `Hello ${ctx.patient.displayName},\n\n${body}\n`,
    },
  };
}
