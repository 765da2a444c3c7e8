import type { AuthResult, Listing } from '@carebook/contracts';
import { expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { bearer, expectProblem, PASSWORD, register, uniqueEmail } from '../../../test/support/http';
import { mailText } from '../../../test/support/mailbox';
import { listingInput } from '../../../test/support/providers';

const shape = (body: string) =>
  body
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<instant>')
    .replace(/"email":"[^"]*"/, '"email":"<email>"');

describeAppEachDialect('staff invitations', (t) => {
  const post = (url: string, payload: object, token?: string) =>
    t().app.inject({ method: 'POST', url, payload, headers: token ? bearer(token) : {} });
  const invite = (token: string, email: string) =>
    post('/api/v1/provider/staff/invitations', { email }, token);
  const tokenMailedTo = async (email: string) => {
    const text = await mailText(t().app, email, /invites you to Carebook as staff/);
    const token = /accept-invitation#token=([A-Za-z0-9_-]+)/.exec(text)?.[1];
    expect(token).toBeTruthy();
    return token as string;
  };
  const login = async (email: string, password = PASSWORD) => {
    const res = await post('/api/v1/auth/login', { email, password });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as AuthResult;
  };

  it('a new staff member joins from the link, acts for that provider only, and the link works once', async () => {
    const owner = await register(t().app, { role: 'provider', displayName: 'Dr Ana Owner' });
    const other = await register(t().app, { role: 'provider', displayName: 'Dr Bo Other' });
    const othersListing = (
      await post('/api/v1/providers', listingInput({ name: 'Other Clinic' }), other.tokens.accessToken)
    ).json() as Listing;
    const email = uniqueEmail('staff');
    const invited = await invite(owner.tokens.accessToken, email);
    expect(invited.statusCode, invited.body).toBe(201);
    expect(invited.json()).toMatchObject({ email, status: 'pending' });

    const token = await tokenMailedTo(email);
    const preview = await post('/api/v1/auth/staff-invitations/preview', { token });
    expect(preview.json()).toMatchObject({ email, providerName: 'Dr Ana Owner', accountExists: false });
    expectProblem(
      await post('/api/v1/auth/staff-invitations/accept', { token, password: 'short' }),
      400,
      'VALIDATION_FAILED',
    );
    const accepted = await post('/api/v1/auth/staff-invitations/accept', {
      token,
      password: PASSWORD,
      displayName: 'Sam Staff',
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expectProblem(
      await post('/api/v1/auth/staff-invitations/accept', {
        token,
        password: PASSWORD,
        displayName: 'Again',
      }),
      400,
      'ACCOUNT_LINK_INVALID',
    );

    const staff = await login(email);
    expect(staff.user).toMatchObject({ role: 'staff', providerId: owner.user.id, emailVerified: true });
    // Acts for the owner: a listing it creates belongs to the owner.
    const created = await post(
      '/api/v1/providers',
      listingInput({ name: 'Owner Clinic' }),
      staff.tokens.accessToken,
    );
    expect(created.statusCode, created.body).toBe(201);
    const mine = await t().app.inject({
      url: '/api/v1/providers?scope=mine',
      headers: bearer(owner.tokens.accessToken),
    });
    expect(JSON.stringify(mine.json())).toContain('Owner Clinic');
    // …and never for another provider.
    const foreign = await t().app.inject({
      method: 'PUT',
      url: `/api/v1/providers/${othersListing.id}`,
      headers: { ...bearer(staff.tokens.accessToken), 'if-match': '"1"' },
      payload: listingInput({ name: 'Hijacked' }),
    });
    expect([403, 404]).toContain(foreign.statusCode);
    // Staff cannot invite; the owner sees the member and no open invitation.
    expectProblem(await invite(staff.tokens.accessToken, uniqueEmail('x')), 403, 'FORBIDDEN');
    const overview = await t().app.inject({
      url: '/api/v1/provider/staff',
      headers: bearer(owner.tokens.accessToken),
    });
    expect(overview.json()).toEqual({
      staff: [{ id: staff.user.id, displayName: 'Sam Staff', email }],
      invitations: [],
    });
  });

  it('answers the provider alike for a registered and a new address; the holder joins with the existing account', async () => {
    const owner = await register(t().app, { role: 'provider' });
    const patient = await register(t().app);
    const forExisting = await invite(owner.tokens.accessToken, patient.user.email);
    const forNew = await invite(owner.tokens.accessToken, uniqueEmail('new'));
    expect(forExisting.statusCode).toBe(201);
    expect(shape(forExisting.body)).toBe(shape(forNew.body));

    const token = await tokenMailedTo(patient.user.email);
    expect((await post('/api/v1/auth/staff-invitations/preview', { token })).json()).toMatchObject({
      accountExists: true,
    });
    expectProblem(
      await post('/api/v1/auth/staff-invitations/accept', { token, password: 'not-the-password' }),
      401,
      'INVALID_CREDENTIALS',
    );
    const accepted = await post('/api/v1/auth/staff-invitations/accept', { token, password: PASSWORD });
    expect(accepted.statusCode, accepted.body).toBe(200);
    // The role changed, so the sessions that carried the old one ended.
    expectProblem(
      await t().app.inject({ url: '/api/v1/me', headers: bearer(patient.tokens.accessToken) }),
      401,
      'INVALID_TOKEN',
    );
    expect((await login(patient.user.email)).user).toMatchObject({
      role: 'staff',
      providerId: owner.user.id,
    });
  });

  it('a revoked or expired invitation cannot be used; a removed staff member is signed out and back to patient', async () => {
    const owner = await register(t().app, { role: 'provider' });
    const revokedEmail = uniqueEmail('revoked');
    const revoked = (await invite(owner.tokens.accessToken, revokedEmail)).json() as { id: string };
    const revokedToken = await tokenMailedTo(revokedEmail);
    const del = await t().app.inject({
      method: 'DELETE',
      url: `/api/v1/provider/staff/invitations/${revoked.id}`,
      headers: bearer(owner.tokens.accessToken),
    });
    expect(del.statusCode).toBe(204);
    expectProblem(
      await post('/api/v1/auth/staff-invitations/preview', { token: revokedToken }),
      400,
      'ACCOUNT_LINK_INVALID',
    );

    const lateEmail = uniqueEmail('late');
    await invite(owner.tokens.accessToken, lateEmail);
    const lateToken = await tokenMailedTo(lateEmail);
    const joinEmail = uniqueEmail('join');
    await invite(owner.tokens.accessToken, joinEmail);
    const joinToken = await tokenMailedTo(joinEmail);
    await post('/api/v1/auth/staff-invitations/accept', {
      token: joinToken,
      password: PASSWORD,
      displayName: 'Jo',
    });
    const staff = await login(joinEmail);

    t().clock.advance(8 * 86_400_000);
    expectProblem(
      await post('/api/v1/auth/staff-invitations/accept', {
        token: lateToken,
        password: PASSWORD,
        displayName: 'L',
      }),
      400,
      'ACCOUNT_LINK_INVALID',
    );
    const fresh = await login(owner.user.email);
    const other = await register(t().app, { role: 'provider' });
    // Another provider cannot remove someone else's staff.
    expectProblem(
      await t().app.inject({
        method: 'DELETE',
        url: `/api/v1/provider/staff/${staff.user.id}`,
        headers: bearer(other.tokens.accessToken),
      }),
      404,
      'NOT_FOUND',
    );
    const removed = await t().app.inject({
      method: 'DELETE',
      url: `/api/v1/provider/staff/${staff.user.id}`,
      headers: bearer(fresh.tokens.accessToken),
    });
    expect(removed.statusCode).toBe(204);
    expectProblem(
      await post('/api/v1/auth/refresh', { refreshToken: staff.tokens.refreshToken }),
      401,
      'INVALID_REFRESH_TOKEN',
    );
    expect((await login(joinEmail)).user).toMatchObject({ role: 'patient', providerId: null });
  });
});
