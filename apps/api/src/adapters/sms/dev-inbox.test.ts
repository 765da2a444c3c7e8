import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/support/databases';
import { routeTestApp, steppingClock } from '../../../test/support/notifications';
import { privacyOn } from '../../../test/support/privacy';
import { newId } from '../../lib/ids';
import { DevSmsInbox } from './dev-inbox';
import { devSmsInboxRoutes } from './dev-inbox.routes';
import { smsContract } from './sms.contract';

describeEachDialect('DevSmsInbox', (db) => {
  const inventory = () => db().dbs.inventory.db;

  smsContract(
    'dev-inbox',
    async () => {
      await inventory().deleteFrom('dev_sms_inbox').execute();
      const inbox = new DevSmsInbox(
        inventory(),
        privacyOn(inventory()),
        steppingClock('2026-11-24T10:00:00.000Z', 1000),
      );
      return {
        sender: inbox,
        received: async () =>
          (await inbox.list(1, 100)).items
            .reverse()
            .map((m) => ({ providerId: m.sid, to: m.to, body: m.body })),
        dispose: () => inbox.close(),
      };
    },
    null,
  );

  describe('viewer', () => {
    let app: FastifyInstance;
    const patient = newId();
    beforeAll(async () => {
      await inventory().deleteFrom('dev_sms_inbox').execute();
      const inbox = new DevSmsInbox(
        inventory(),
        privacyOn(inventory()),
        steppingClock('2026-11-24T10:00:00.000Z', 60_000),
      );
      await inbox.send({ to: '+14155550123', body: 'Older text' });
      await inbox.send({
        to: '+14155550124',
        body: '<script>alert(1)</script> & more',
        recipientId: patient,
      });
      app = await routeTestApp((a) => devSmsInboxRoutes(a, inbox));
    });
    afterAll(() => app.close());

    it('lists messages newest first, escaped, never cached', async () => {
      const res = await app.inject({ method: 'GET', url: '/dev/sms' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toContain('2 message(s), newest first');
      expect(res.body).not.toContain('<script>alert');
      expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
      expect(res.body.indexOf('+14155550124')).toBeLessThan(res.body.indexOf('Older text'));
    });

    it('stores the number sealed (with the recipient key, else the system key), never in clear', async () => {
      const raw = await inventory().selectFrom('dev_sms_inbox').selectAll().orderBy('created_at').execute();
      expect(JSON.stringify(raw)).not.toMatch(/1415555012[34]/);
      expect(raw.map((r) => r.user_id)).toEqual([null, patient]);
      expect(raw.every((r) => r.to_phone === '' && r.to_phone_sealed?.startsWith('v1.'))).toBe(true);
    });
  });
});
