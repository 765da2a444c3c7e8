import type { Listing } from '@carebook/contracts';
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { describeAppEachDialect } from '../support/app';
import { type Ctx, type Practice, practice } from '../support/bookings';
import { bearer } from '../support/http';
import { minimalPdf, pngClaiming, solidImage } from '../support/media';
import { Findings, send } from './attack';
import { hostilePathParams, queryValueArb } from './hostile';

const SEED = 20261206;

/** FHIR reads and searches (hidden from the OpenAPI document), with their search parameters. */
const fhirSearches: [string, string[]][] = [
  ['/fhir/R4/metadata', ['_format']],
  ['/fhir/R4/Practitioner', ['_count', '_offset', '_format', 'name', 'specialty', '_id', '_lastUpdated']],
  ['/fhir/R4/Organization', ['_count', '_format', 'name', 'address-city']],
  ['/fhir/R4/Location', ['_count', 'near', 'address-postalcode', '_format']],
  ['/fhir/R4/HealthcareService', ['_count', 'specialty', 'organization', '_format']],
  ['/fhir/R4/Schedule', ['_count', 'actor', 'date', '_format']],
  ['/fhir/R4/Slot', ['_count', 'schedule', 'start', 'status', '_format']],
  ['/fhir/R4/Appointment', ['_count', 'date', 'status', 'patient', '_format']],
  ['/fhir/R4/Patient', ['_count', '_id', 'identifier', '_format']],
  ['/fhir/R4/Appointment/$find', ['start', 'end', 'specialty', 'location', 'visit-type', '_count']],
  ['/fhir/$bulk-publish', ['_format', '_since']],
];
const fhirReads = [
  'Practitioner',
  'Organization',
  'Location',
  'HealthcareService',
  'Schedule',
  'Slot',
  'Appointment',
  'Patient',
];

/** A multipart body built by hand, so every part header can be wrong. */
function multipartOf(parts: { headers: string[]; body: Buffer }[], boundary = 'fuzzboundary'): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(
      Buffer.from(`--${boundary}\r\n${part.headers.join('\r\n')}\r\n\r\n`),
      part.body,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

describeAppEachDialect('fuzz of the other channels: FHIR, calendar feeds, uploads', (t) => {
  let p: Practice;
  let draft: Listing;
  beforeAll(async () => {
    p = await practice(t() as Ctx);
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/v1/providers',
      headers: bearer(p.cast.owner.tokens.accessToken),
      payload: { ...p.listing, id: undefined, version: undefined },
    });
    draft = (res.statusCode === 201 ? res.json() : p.listing) as Listing;
  });
  const tokens = () => [undefined, p.cast.patient.tokens.accessToken, p.cast.owner.tokens.accessToken];

  it('FHIR searches with malformed parameters and reads of malformed ids answer OperationOutcomes', async () => {
    const findings = new Findings();
    const app = t().app;
    for (const [path, names] of fhirSearches) {
      const cases = fc.sample(
        fc.tuple(
          fc
            .array(fc.constantFrom(...names, 'unknown', '_sort', '_include'), { minLength: 1, maxLength: 3 })
            .chain((ns) => fc.tuple(...ns.map((n) => queryValueArb(n)))),
          fc.constantFrom(...tokens()),
          fc.constantFrom(undefined, 'application/fhir+json', 'application/xml', 'text/html', '*/*'),
        ),
        { seed: SEED, numRuns: 25 },
      );
      for (const [query, token, accept] of cases) {
        const headers: Record<string, string> = token ? bearer(token) : {};
        if (accept) headers.accept = accept;
        const url = `${path}?${query.join('&')}`;
        await send(
          app,
          findings,
          { method: 'GET', path },
          { method: 'GET', url, headers },
          token ? 'auth' : 'anon',
        );
      }
    }
    for (const type of fhirReads)
      for (const id of hostilePathParams)
        await send(
          app,
          findings,
          { method: 'GET', path: `/fhir/R4/${type}/{id}` },
          { method: 'GET', url: `/fhir/R4/${type}/${id}`, headers: bearer(p.cast.owner.tokens.accessToken) },
          id,
        );
    for (const op of ['$find', '$hold', '$book'])
      for (const payload of [
        '{',
        '[]',
        '{"resourceType":"Parameters","parameter":[{"name":"start","valueDateTime":"2026-02-30"}]}',
        '{"resourceType":"Patient"}',
        `{"resourceType":"Parameters","parameter":${JSON.stringify(Array.from({ length: 5000 }, () => ({ name: 'x' })))}}`,
      ])
        await send(
          app,
          findings,
          { method: 'POST', path: `/fhir/R4/Appointment/${op}` },
          {
            method: 'POST',
            url: `/fhir/R4/Appointment/${op}`,
            headers: {
              ...bearer(p.cast.patient.tokens.accessToken),
              'content-type': 'application/fhir+json',
            },
            payload,
          },
          payload.slice(0, 30),
        );
    expect(findings.list()).toEqual([]);
  });

  it('the dev mailbox and SMS inbox, metrics and API docs refuse odd input as problems', async () => {
    const findings = new Findings();
    const app = t().app;
    const paths = [
      ...hostilePathParams.map((id) => `/dev/mailbox/${id}`),
      ...hostilePathParams.map((i) => `/dev/mailbox/0190b0c4-3a6e-7c2a-9d3e-5f6a7b8c9d0e/attachments/${i}`),
      '/dev/mailbox?to=%00&limit=-1',
      `/dev/mailbox?to=${'a'.repeat(3000)}`,
      '/dev/mailbox?to[]=a&to=b',
      '/dev/sms?to=%ED%A0%80&limit=1e9',
      '/metrics?name[]=x',
      '/api/docs/..%2f..%2fpackage.json',
      '/api/docs/static/%2e%2e/%2e%2e/etc/passwd',
    ];
    for (const url of paths)
      await send(
        app,
        findings,
        { method: 'GET', path: url.split('?')[0] ?? url },
        { method: 'GET', url },
        'dev',
      );
    expect(findings.list()).toEqual([]);
  });

  it('calendar feed URLs with guessed, malformed or revoked tokens answer problems', async () => {
    const findings = new Findings();
    const app = t().app;
    const h = bearer(p.cast.patient.tokens.accessToken);
    const rotate = () =>
      app.inject({ method: 'POST', url: '/api/v1/calendar-feed/rotate', headers: h, payload: {} });
    const feed = (await rotate()).json() as { url: string };
    const real = new URL(feed.url).pathname.split('/').pop() ?? '';
    expect(real).toMatch(/\.ics$/);
    expect((await rotate()).statusCode).toBe(201);
    const bare = real.slice(0, -4);
    for (const token of [
      ...hostilePathParams,
      real,
      bare,
      `${bare}.ICS`,
      `${bare}.ics.ics`,
      `${bare.toUpperCase()}.ics`,
      `${bare}%00.ics`,
      `${bare.slice(0, -1)}.ics`,
      `${'A'.repeat(64)}.ics`,
    ]) {
      const url = `/api/v1/calendar/${token}`;
      const res = await app.inject({ url });
      // The rotated-away token no longer opens anything.
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      await send(
        app,
        findings,
        { method: 'GET', path: '/api/v1/calendar/{token}' },
        { method: 'GET', url },
        token,
      );
    }
    expect(findings.list()).toEqual([]);
  });

  it('uploads with wrong types, no bytes, traversal names, odd parts and broken framing answer problems', async () => {
    const findings = new Findings();
    const app = t().app;
    const png = await solidImage('png', 8, 8);
    const names = [
      '../../../../etc/passwd',
      '..\\..\\win.ini',
      'a\u0000.pdf',
      'x"\r\nX-Injected: 1',
      `${'n'.repeat(2000)}.pdf`,
      '',
      '.',
      'CON',
      '%2e%2e%2f.pdf',
    ];
    const bodies = [
      Buffer.alloc(0),
      png,
      minimalPdf(),
      pngClaiming(60_000, 60_000),
      Buffer.from('<svg onload=alert(1)>'),
      Buffer.alloc(6 * 1024 * 1024, 1),
    ];
    const types = [
      'application/pdf',
      'image/png',
      'image/svg+xml',
      'text/html',
      'application/x-msdownload',
      '',
    ];
    const cases = fc.sample(
      fc.record({
        kind: fc.constantFrom('photos', 'documents'),
        name: fc.constantFrom(...names),
        body: fc.constantFrom(...bodies),
        type: fc.constantFrom(...types),
        shape: fc.constantFrom(
          'one',
          'two-files',
          'field-first',
          'wrong-name',
          'no-filename',
          'no-end',
          'other-boundary',
        ),
      }),
      { seed: SEED, numRuns: 60 },
    );
    for (const c of cases) {
      const file = {
        headers: [
          `Content-Disposition: form-data; name="${c.shape === 'wrong-name' ? 'picture' : 'file'}"${c.shape === 'no-filename' ? '' : `; filename="${c.name}"`}`,
          ...(c.type ? [`Content-Type: ${c.type}`] : []),
        ],
        body: c.body,
      };
      const field = { headers: ['Content-Disposition: form-data; name="caption"'], body: Buffer.from('hi') };
      const parts =
        c.shape === 'two-files' ? [file, file] : c.shape === 'field-first' ? [field, file] : [file];
      let payload = multipartOf(parts);
      if (c.shape === 'no-end') payload = payload.subarray(0, payload.length - 20);
      const boundary = c.shape === 'other-boundary' ? 'notthesame' : 'fuzzboundary';
      const url = `/api/v1/providers/${draft.id}/${c.kind}`;
      await send(
        app,
        findings,
        { method: 'POST', path: `/api/v1/providers/{id}/${c.kind}` },
        {
          method: 'POST',
          url,
          headers: {
            ...bearer(p.cast.owner.tokens.accessToken),
            'content-type': `multipart/form-data; boundary=${boundary}`,
            'if-match': `"${draft.version}"`,
          },
          payload,
        },
        `${c.shape} ${c.type} ${c.name.slice(0, 20)} ${c.body.length}`,
      );
    }
    expect(findings.list()).toEqual([]);
    // Whatever was stored kept a safe name: nothing of a path, a quote or a line break.
    const listing = (
      await app.inject({
        url: `/api/v1/providers/${draft.id}`,
        headers: bearer(p.cast.owner.tokens.accessToken),
      })
    ).json() as {
      documents?: { name: string }[];
    };
    for (const doc of listing.documents ?? []) expect(doc.name).toMatch(/^[\w .()-]+$/);
  });
});
