import { BOOKING_DEEP_LINK_PATH } from '@carebook/contracts';
import { beforeAll, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { book, type Ctx, type Practice, practice, WED_0900_NY } from '../../../test/support/bookings';
import { expectValidFhir } from '../../../test/support/fhir';
import { EXTENSIONS } from './fhir-types';

interface Manifest {
  transactionTime: string;
  request: string;
  output: { type: string; url: string }[];
  error: unknown[];
}

describeAppEachDialect('SMART Scheduling Links ($bulk-publish)', (t) => {
  let p: Practice;
  beforeAll(async () => {
    p = await practice(t() as Ctx);
    const res = await book(t().app, p.cast.patient.tokens.accessToken, {
      providerId: p.listing.id,
      serviceId: p.free,
      start: WED_0900_NY,
    });
    expect(res.statusCode, res.body).toBe(201);
  });
  const path = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');

  it('publishes a manifest and NDJSON files whose every line is valid R4, free slots deep-linked to a page that offers them', async () => {
    const app = t().app;
    const res = await app.inject({ url: '/fhir/$bulk-publish?source=slot-finder&booking-referral=ref-42' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const manifest = res.json() as Manifest;
    expect(Date.parse(manifest.transactionTime)).not.toBeNaN();
    expect(manifest.request).toMatch(/\/fhir\/\$bulk-publish\?source=slot-finder&booking-referral=ref-42$/);
    expect(manifest.output.map((o) => o.type)).toEqual(['Location', 'Schedule', ...Array(8).fill('Slot')]);

    const lines: Record<string, Record<string, unknown>[]> = { Location: [], Schedule: [], Slot: [] };
    for (const output of manifest.output) {
      const file = await app.inject({ url: path(output.url) });
      expect(file.statusCode, file.body).toBe(200);
      expect(file.headers['content-type']).toMatch(/^application\/fhir\+ndjson/);
      expect(file.headers.etag).toMatch(/^"[^"]+"$/);
      for (const line of file.body.split('\n').filter(Boolean)) {
        const resource = JSON.parse(line) as Record<string, unknown>;
        expect(resource.resourceType).toBe(output.type);
        expectValidFhir(resource);
        lines[output.type]?.push(resource);
      }
    }
    expect(lines.Location?.map((l) => l.id)).toEqual([p.listing.id]);
    expect(lines.Schedule?.map((s) => s.id).sort()).toEqual([p.free, p.paid].sort());
    const slots = lines.Slot as {
      id: string;
      status: string;
      start: string;
      schedule: { reference: string };
      extension?: { url: string; valueUrl: string }[];
    }[];
    // The booked 09:00 (New York) slot is busy and has no link; the one after it is free with one.
    const booked = slots.find(
      (s) => s.schedule.reference === `Schedule/${p.free}` && s.start === WED_0900_NY,
    );
    expect(booked).toMatchObject({ status: 'busy' });
    expect(booked?.extension).toBeUndefined();
    const free = slots.filter((s) => s.status === 'free');
    expect(free.length).toBeGreaterThan(100);
    expect(free.every((s) => s.extension?.[0]?.url === EXTENSIONS.bookingDeepLink)).toBe(true);
    // Weekly files do not overlap: each slot appears once.
    expect(new Set(slots.map((s) => s.id)).size).toBe(slots.length);

    // Follow a deep link: the web app's deep-link route, the query its page reads, and the slot it
    // asks the API for is on offer.
    const next = free.find((s) => s.schedule.reference === `Schedule/${p.free}`) as (typeof free)[number];
    const link = new URL(next.extension?.[0]?.valueUrl as string);
    expect(link.pathname).toBe(BOOKING_DEEP_LINK_PATH);
    expect(Object.fromEntries(link.searchParams)).toEqual({
      provider: p.listing.id,
      service: p.free,
      start: next.start,
      source: 'slot-finder',
      'booking-referral': 'ref-42',
    });
    const from = link.searchParams.get('start') as string;
    const to = new Date(Date.parse(from) + 60_000).toISOString();
    const offered = await app.inject({
      url: `/api/v1/providers/${link.searchParams.get('provider')}/availability?serviceId=${link.searchParams.get('service')}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&tz=UTC`,
    });
    expect(offered.statusCode, offered.body).toBe(200);
    expect(
      offered
        .json()
        .days.flatMap((d: { slots: { start: string }[] }) => d.slots.map((s) => Date.parse(s.start))),
    ).toEqual([Date.parse(from)]);
  });

  it('answers a conditional GET with 304 until the data changes', async () => {
    const app = t().app;
    const manifest = await app.inject({ url: '/fhir/$bulk-publish' });
    const etag = manifest.headers.etag as string;
    expect(
      (await app.inject({ url: '/fhir/$bulk-publish', headers: { 'if-none-match': etag } })).statusCode,
    ).toBe(304);
    const week = path((manifest.json() as Manifest).output[2]?.url as string);
    const first = await app.inject({ url: week });
    const weekTag = first.headers.etag as string;
    const again = await app.inject({ url: week, headers: { 'if-none-match': weekTag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    // A booking a minute later changes that week's slots: the old ETags no longer match.
    t().clock.advance(60_000);
    const res = await book(t().app, p.cast.patient.tokens.accessToken, {
      providerId: p.listing.id,
      serviceId: p.free,
      start: '2026-11-25T15:00:00.000Z',
    });
    expect(res.statusCode, res.body).toBe(201);
    const changed = await app.inject({ url: week, headers: { 'if-none-match': weekTag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(weekTag);
    const slot = changed.body
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((s) => s.schedule.reference === `Schedule/${p.free}` && s.start === '2026-11-25T15:00:00.000Z');
    expect(slot.status).toBe('busy');
    const m2 = await app.inject({ url: '/fhir/$bulk-publish', headers: { 'if-none-match': etag } });
    expect(m2.statusCode).toBe(200);
    expect(Date.parse((m2.json() as Manifest).transactionTime)).toBeGreaterThan(
      Date.parse((manifest.json() as Manifest).transactionTime),
    );
  });

  it('refuses unknown files and bad parameters', async () => {
    const app = t().app;
    expect((await app.inject({ url: '/fhir/$bulk-publish/slots-1999-01-04.ndjson' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/fhir/$bulk-publish/secrets.ndjson' })).statusCode).toBe(404);
    const bad = await app.inject({ url: '/fhir/$bulk-publish?source=<script>' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().resourceType).toBe('OperationOutcome');
  });
});
