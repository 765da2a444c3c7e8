import type { Listing } from '@carebook/contracts';
import { beforeAll, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { bearer, expectProblem } from '../../../test/support/http';
import { minimalPdf, solidImage } from '../../../test/support/media';
import {
  type Cast,
  castOf,
  listingInput,
  serviceInput,
  weekdaysNineToFive,
} from '../../../test/support/providers';

/**
 * Every write endpoint of a listing, tried by each role: another provider gets 404 (the listing's
 * existence is not revealed), a patient 403, anonymous 401, and the owner and an admin succeed.
 */
describeAppEachDialect('listing permissions matrix', (t) => {
  let cast: Cast;
  let png: Buffer;
  beforeAll(async () => {
    cast = await castOf(t());
    png = await solidImage('png', 200, 200);
  });

  const fresh = async () => {
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/v1/providers',
      headers: bearer(cast.owner.tokens.accessToken),
      payload: listingInput(),
    });
    const listing = res.json() as Listing;
    const svc = await t().app.inject({
      method: 'POST',
      url: `/api/v1/providers/${listing.id}/services`,
      headers: { ...bearer(cast.owner.tokens.accessToken), 'if-match': '"1"' },
      payload: serviceInput(),
    });
    return { id: listing.id, serviceId: svc.json().service.id as string };
  };
  const form = (bytes: Buffer) => {
    const f = new FormData();
    f.append('file', new Blob([new Uint8Array(bytes)]), 'upload.bin');
    return f;
  };

  const writes: {
    name: string;
    call: (l: { id: string; serviceId: string }) => {
      method: 'POST' | 'PUT';
      url: string;
      payload?: object;
      body?: FormData;
    };
  }[] = [
    {
      name: 'update',
      call: (l) => ({
        method: 'PUT',
        url: `/api/v1/providers/${l.id}`,
        payload: listingInput({ name: 'Changed' }),
      }),
    },
    {
      name: 'add service',
      call: (l) => ({ method: 'POST', url: `/api/v1/providers/${l.id}/services`, payload: serviceInput() }),
    },
    {
      name: 'replace service',
      call: (l) => ({
        method: 'PUT',
        url: `/api/v1/providers/${l.id}/services/${l.serviceId}`,
        payload: serviceInput({ priceCents: 1 }),
      }),
    },
    {
      name: 'schedule',
      call: (l) => ({
        method: 'PUT',
        url: `/api/v1/providers/${l.id}/schedule`,
        payload: weekdaysNineToFive(),
      }),
    },
    { name: 'publish', call: (l) => ({ method: 'POST', url: `/api/v1/providers/${l.id}/publish` }) },
    {
      name: 'photo',
      call: (l) => ({ method: 'POST', url: `/api/v1/providers/${l.id}/photos`, body: form(png) }),
    },
    {
      name: 'document',
      call: (l) => ({ method: 'POST', url: `/api/v1/providers/${l.id}/documents`, body: form(minimalPdf()) }),
    },
  ];

  it.each(writes.map((w) => [w.name, w] as const))(
    '%s: other provider 404, patient 403, anonymous 401',
    async (_name, w) => {
      const l = await fresh();
      const req = w.call(l);
      for (const [who, status, code] of [
        ['other', 404, 'NOT_FOUND'],
        ['patient', 403, 'FORBIDDEN'],
        [null, 401, 'UNAUTHENTICATED'],
      ] as const) {
        const res = await t().app.inject({
          method: req.method,
          url: req.url,
          headers: { ...(who ? bearer(cast[who].tokens.accessToken) : {}), 'if-match': '"2"' },
          ...(req.payload ? { payload: req.payload } : {}),
          ...(req.body ? { body: w.call(l).body } : {}),
        });
        expectProblem(res, status, code);
      }
      const unchanged = await t().app.inject({
        url: `/api/v1/providers/${l.id}`,
        headers: bearer(cast.owner.tokens.accessToken),
      });
      expect(unchanged.json().version).toBe(2);
    },
  );

  it.each(writes.filter((w) => w.name !== 'publish').map((w) => [w.name, w] as const))(
    '%s: the owner and an admin may',
    async (_name, w) => {
      for (const who of ['owner', 'admin'] as const) {
        const l = await fresh();
        const req = w.call(l);
        const res = await t().app.inject({
          method: req.method,
          url: req.url,
          headers: { ...bearer(cast[who].tokens.accessToken), 'if-match': '"2"' },
          ...(req.payload ? { payload: req.payload } : {}),
          ...(req.body ? { body: req.body } : {}),
        });
        expect(res.statusCode, `${who}: ${res.body}`).toBeLessThan(300);
      }
    },
  );
});
