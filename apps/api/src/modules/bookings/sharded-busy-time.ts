import type { BusyTimeReader } from '../../ports/busy-time';
import type { ShardedBookings } from './booking-shards';

/** A provider's busy time read from the claims of its own shard. */
export class ShardedBusyTime implements BusyTimeReader {
  constructor(
    private readonly bookings: ShardedBookings,
    private readonly readers: BusyTimeReader[],
  ) {}

  async busyIntervals(providerId: string, from: number, to: number) {
    const { index } = await this.bookings.forProvider(providerId);
    return (this.readers[index] as BusyTimeReader).busyIntervals(providerId, from, to);
  }
}
