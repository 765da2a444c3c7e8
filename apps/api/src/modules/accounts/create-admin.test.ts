import { expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { bearer } from '../../../test/support/http';
import { CreateAdminError, createAdmin } from './create-admin';

describeAppEachDialect('create-admin (bootstrap of the first administrator)', (t) => {
  const input = {
    email: 'Root@Clinic.example',
    displayName: 'Root Admin',
    password: 'a-long-enough-password',
  };

  it('creates an admin who can sign in and use the admin API, with an audit entry', async () => {
    const id = await createAdmin(t().db.dbs.inventory.db, t().services.hasher, t().clock, input);
    const login = await t().app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'root@clinic.example', password: input.password },
    });
    expect(login.statusCode, login.body).toBe(200);
    const token = login.json().tokens.accessToken as string;
    expect(login.json().user).toMatchObject({ id, role: 'admin' });
    const audit = await t().app.inject({
      url: '/api/v1/admin/audit-events?action=admin.bootstrapped',
      headers: bearer(token),
    });
    expect(audit.statusCode, audit.body).toBe(200);
    expect(audit.json().items).toEqual([
      expect.objectContaining({ action: 'admin.bootstrapped', targetId: id }),
    ]);
  });

  it('refuses an e-mail already in use, and bad input, writing nothing', async () => {
    const db = t().db.dbs.inventory.db;
    const count = async () =>
      Number(
        (
          await db
            .selectFrom('users')
            .select((e) => e.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const attempt = (patch: Partial<typeof input>) =>
      createAdmin(db, t().services.hasher, t().clock, { ...input, ...patch });
    await expect(attempt({})).rejects.toThrow(
      new CreateAdminError('an account with root@clinic.example already exists'),
    );
    await expect(attempt({ email: 'nobody' })).rejects.toThrow(/not an e-mail address/);
    await expect(attempt({ email: 'x@y.example', password: 'short' })).rejects.toThrow(
      /10 to 256 characters/,
    );
    await expect(attempt({ email: 'x@y.example', displayName: '  ' })).rejects.toThrow(/display name/);
    expect(await count()).toBe(before);
  });
});
