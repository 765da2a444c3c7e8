import type { Listing } from '@carebook/contracts';
import { beforeAll, expect, it } from 'vitest';
import { bearer } from '../../../test/support/http';
import { type Cast, castOf, listingInput } from '../../../test/support/providers';
import { describeSearchAppEachDialect } from '../../../test/support/search';

describeSearchAppEachDialect('a listing’s phone number', 0, (t) => {
  let cast: Cast;
  beforeAll(async () => {
    cast = await castOf(t());
  });

  it('is stored, read back, cleared, and refused when it is not a phone number', async () => {
    const headers = bearer(cast.owner.tokens.accessToken);
    const created = await t().app.inject({
      method: 'POST',
      url: '/api/v1/providers',
      headers,
      payload: listingInput({ name: 'Dr. Phoebe Callum', phone: '+1 212 555 0142' }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const listing = created.json() as Listing;
    expect(listing.phone).toBe('+1 212 555 0142');
    const read = (
      await t().app.inject({ url: `/api/v1/providers/${listing.id}`, headers })
    ).json() as Listing;
    expect(read.phone).toBe('+1 212 555 0142');

    const cleared = await t().app.inject({
      method: 'PUT',
      url: `/api/v1/providers/${listing.id}`,
      headers: { ...headers, 'if-match': `"${listing.version}"` },
      payload: listingInput({ name: 'Dr. Phoebe Callum' }),
    });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect((cleared.json() as Listing).phone).toBeNull();

    const bad = await t().app.inject({
      method: 'POST',
      url: '/api/v1/providers',
      headers,
      payload: listingInput({ name: 'Dr. Bad Number', phone: 'call me maybe' }),
    });
    expect(bad.statusCode).toBe(400);
  });
});
