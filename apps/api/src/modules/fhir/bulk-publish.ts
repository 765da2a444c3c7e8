import { createHash } from 'node:crypto';
import type { BulkPublishQuery } from '@carebook/contracts';
import { notFound } from '../../domain/errors';
import { locationResource, scheduleResource } from './directory-resources';
import type { FhirRepository } from './fhir.repository';
import type { FhirDirectory } from './fhir-directory';
import { bookingDeepLink, slotResource } from './slots';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** Slot files cover this many weeks from the current one (the availability range limit). */
export const PUBLISHED_WEEKS = 8;

/** Monday 00:00 UTC of the week containing t. */
export const weekStart = (t: number) => {
  const day = new Date(t).getUTCDay(); // 0 = Sunday
  const midnight = Math.floor(t / DAY) * DAY;
  return midnight - ((day + 6) % 7) * DAY;
};
const weekName = (start: number) => `slots-${new Date(start).toISOString().slice(0, 10)}.ndjson`;

export const etagOf = (body: string) =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

/**
 * SMART Scheduling Links bulk publication: a manifest and NDJSON files of Locations, Schedules
 * and Slots (one file per UTC week). Free slots carry a booking deep link to the web app, with the
 * aggregator's `source` and `booking-referral` passed through.
 */
export class BulkPublisher {
  constructor(
    private readonly d: {
      directory: FhirDirectory;
      repo: FhirRepository;
      fhirUrl: string;
      webUrl: string;
      now: () => number;
    },
  ) {}

  async manifest(q: BulkPublishQuery) {
    const now = this.d.now();
    const listings = await this.d.directory.listings();
    const changed = [...listings.map((l) => l.updatedAt), await this.d.repo.lastBookingChange()]
      .filter((t): t is string => Boolean(t))
      .sort()
      .at(-1);
    // Slots also change as time passes (notice, horizon): the data is "as of" the current hour at least.
    const hour = new Date(Math.floor(now / 3_600_000) * 3_600_000).toISOString();
    const transactionTime = changed && changed > hour ? changed : hour;
    const file = (name: string) => this.fileUrl(name, q);
    const first = weekStart(now);
    return {
      transactionTime,
      request: this.fileUrl('', q).replace(/\/(\?|$)/, '$1'),
      output: [
        { type: 'Location', url: file('locations.ndjson') },
        { type: 'Schedule', url: file('schedules.ndjson') },
        ...Array.from({ length: PUBLISHED_WEEKS }, (_, i) => ({
          type: 'Slot',
          url: file(weekName(first + i * WEEK)),
        })),
      ],
      error: [],
    };
  }

  /** One NDJSON file: one resource per line. */
  async file(name: string, q: BulkPublishQuery): Promise<string> {
    const listings = await this.d.directory.listings();
    if (name === 'locations.ndjson') return ndjson(listings.map(locationResource));
    const services = await this.d.directory.services(listings);
    if (name === 'schedules.ndjson')
      return ndjson(
        services.map((of) => scheduleResource(of.listing, of.service, this.d.directory.horizon(of.listing))),
      );
    const m = /^slots-(\d{4}-\d{2}-\d{2})\.ndjson$/.exec(name);
    const start = m?.[1] ? Date.parse(`${m[1]}T00:00:00Z`) : Number.NaN;
    const now = this.d.now();
    const first = weekStart(now);
    if (
      Number.isNaN(start) ||
      start !== weekStart(start) ||
      start < first ||
      start >= first + PUBLISHED_WEEKS * WEEK
    )
      throw notFound('The file');
    const range = { from: Math.max(start, now), to: start + WEEK, now };
    const lines: object[] = [];
    for (const of of services) {
      for (const slot of await this.d.directory.slots(of, range)) {
        const link = bookingDeepLink(this.d.webUrl, of.listing, of.service.id, slot.start, q);
        lines.push(slotResource(of.listing, of.service, slot, link));
      }
    }
    return ndjson(lines);
  }

  private fileUrl(name: string, q: BulkPublishQuery): string {
    const url = new URL(`${this.d.fhirUrl}/$bulk-publish/${name}`);
    if (q.source) url.searchParams.set('source', q.source);
    if (q['booking-referral']) url.searchParams.set('booking-referral', q['booking-referral']);
    return url.toString();
  }
}

const ndjson = (resources: object[]) => resources.map((r) => `${JSON.stringify(r)}\n`).join('');
