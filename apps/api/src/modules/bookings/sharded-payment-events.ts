import type { PaymentEvent } from '../../ports/payments';
import type { PaymentEventsHandler } from './booking-payments';
import type { ShardedBookings } from './booking-shards';

/**
 * Payment outcomes applied on the booking's shard: the event's booking id names it (its
 * payment-event record and its effect commit together there, as on one database). An event with
 * only a payment intent id is applied on the shard holding that intent.
 */
export class ShardedPaymentEvents {
  constructor(
    private readonly bookings: ShardedBookings,
    private readonly handlers: PaymentEventsHandler[],
  ) {}

  async handle(event: PaymentEvent): ReturnType<PaymentEventsHandler['handle']> {
    const shards = this.bookings.shards;
    let index = 0;
    if (event.bookingId) index = (await this.bookings.forBooking(event.bookingId)).index;
    else if (event.paymentIntentId && shards.length > 1) {
      const intent = event.paymentIntentId;
      for (const s of shards)
        if (await s.repo.byIntent(intent)) {
          index = s.index;
          break;
        }
    }
    return (this.handlers[index] as PaymentEventsHandler).handle(event);
  }
}
