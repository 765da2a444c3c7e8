import { expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { bearer, expectProblem, register } from '../../../test/support/http';

describeAppEachDialect('patient profile', (t) => {
  const patch = (token: string, payload: object) =>
    t().app.inject({ method: 'PATCH', url: '/api/v1/me/profile', headers: bearer(token), payload });
  const get = (token: string) => t().app.inject({ url: '/api/v1/me/profile', headers: bearer(token) });

  it('starts empty, changes only what is sent, and null clears a field', async () => {
    const { tokens } = await register(t().app);
    expect((await get(tokens.accessToken)).json()).toEqual({
      phone: null,
      dateOfBirth: null,
      preferredLanguage: null,
      complete: false,
    });
    const first = await patch(tokens.accessToken, { phone: '+14155550123', preferredLanguage: 'es' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ phone: '+14155550123', preferredLanguage: 'es', complete: false });
    const second = await patch(tokens.accessToken, { dateOfBirth: '1985-04-23' });
    expect(second.json()).toEqual({
      phone: '+14155550123',
      dateOfBirth: '1985-04-23',
      preferredLanguage: 'es',
      complete: true,
    });
    expect((await get(tokens.accessToken)).json()).toEqual(second.json());
    const cleared = await patch(tokens.accessToken, { phone: null });
    expect(cleared.json()).toMatchObject({ phone: null, dateOfBirth: '1985-04-23', complete: false });
  });

  it('keeps phone and date of birth encrypted at rest', async () => {
    const { user, tokens } = await register(t().app);
    await patch(tokens.accessToken, { phone: '+442071838750', dateOfBirth: '1971-11-05' });
    const row = await t()
      .db.dbs.inventory.db.selectFrom('patient_profiles')
      .selectAll()
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.phone_sealed).toMatch(/^v1\./);
    expect(row.birth_date_sealed).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain('2071838750');
    expect(JSON.stringify(row)).not.toContain('1971-11-05');
  });

  it('validates each field with its path: E.164 phone, a real past date within 130 years, a known language', async () => {
    const { tokens } = await register(t().app);
    for (const [payload, path] of [
      [{ phone: '0171 555 0123' }, '/body/phone'],
      [{ dateOfBirth: '2023-02-29' }, '/body/dateOfBirth'],
      [{ dateOfBirth: '2099-01-01' }, '/body/dateOfBirth'],
      [{ dateOfBirth: '1800-01-01' }, '/body/dateOfBirth'],
      [{ preferredLanguage: 'klingon' }, '/body/preferredLanguage'],
      [{ nickname: 'x' }, '/body/nickname'],
    ] as const) {
      const problem = expectProblem(
        await patch(tokens.accessToken, payload),
        400,
        'VALIDATION_FAILED',
      ) as unknown as {
        errors: { path: string }[];
      };
      expect(
        problem.errors.map((e) => e.path),
        JSON.stringify(payload),
      ).toContain(path);
    }
    expect((await get(tokens.accessToken)).json()).toMatchObject({ phone: null, dateOfBirth: null });
  });

  it('is for patients only', async () => {
    const provider = await register(t().app, { role: 'provider' });
    expectProblem(await get(provider.tokens.accessToken), 403, 'FORBIDDEN');
    expectProblem(await patch(provider.tokens.accessToken, { phone: '+14155550123' }), 403, 'FORBIDDEN');
    expectProblem(await t().app.inject({ url: '/api/v1/me/profile' }), 401, 'UNAUTHENTICATED');
  });
});
