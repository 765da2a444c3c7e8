import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/support/databases';
import { ensureNotificationTables, steppingClock } from '../../../test/support/notifications';
import { DevMailbox } from './dev-mailbox';
import { mailerContract, sampleMessage } from './mailer.contract';

describeEachDialect('DevMailbox', (db) => {
  const kysely = () => db().dbs.inventory.db.withTables<{ dev_mailbox: { id: string } }>();
  beforeAll(() => ensureNotificationTables(db().dbs.inventory.db));

  mailerContract('dev-mailbox', async () => {
    await kysely().deleteFrom('dev_mailbox').execute();
    const mailer = new DevMailbox(db().dbs.inventory.db);
    return {
      mailer,
      received: async () => {
        const { items } = await mailer.list(1, 100);
        const all = await Promise.all(items.reverse().map((m) => mailer.get(m.id)));
        return all.flatMap((m) =>
          m
            ? [
                {
                  identity: m.idempotencyKey,
                  to: m.to,
                  subject: m.subject,
                  text: m.text,
                  html: m.html,
                  attachments: m.attachments.map((a) => ({
                    filename: a.filename,
                    contentType: a.contentType,
                    content: Buffer.from(a.contentBase64, 'base64'),
                  })),
                },
              ]
            : [],
        );
      },
      dispose: () => mailer.close(),
    };
  });

  describe('viewer queries', () => {
    it('lists newest first with a total, pages, and finds nothing for an unknown id', async () => {
      await kysely().deleteFrom('dev_mailbox').execute();
      const mailbox = new DevMailbox(
        db().dbs.inventory.db,
        steppingClock('2026-11-24T10:00:00.000Z', 60_000),
      );
      for (const n of [1, 2, 3])
        await mailbox.send(sampleMessage({ subject: `m${n}`, idempotencyKey: `k${n}` }));
      const first = await mailbox.list(1, 2);
      expect(first.total).toBe(3);
      expect(first.items.map((m) => m.subject)).toEqual(['m3', 'm2']);
      expect((await mailbox.list(2, 2)).items.map((m) => m.subject)).toEqual(['m1']);
      expect(first.items[0]?.createdAt).toBe('2026-11-24T10:03:00.000Z');
      expect(await mailbox.get('0193a5b0-0000-7000-8000-00000000dead')).toBeNull();
    });

    it('stores messages sent side by side once each: a retry among them, and one key sent twice', async () => {
      await kysely().deleteFrom('dev_mailbox').execute();
      const mailbox = new DevMailbox(db().dbs.inventory.db);
      await mailbox.send(sampleMessage({ subject: 'first try', idempotencyKey: 'k1' }));
      await Promise.all([
        mailbox.send(sampleMessage({ subject: 'retry', idempotencyKey: 'k1' })),
        mailbox.send(sampleMessage({ subject: 'new', idempotencyKey: 'k2' })),
        mailbox.send(sampleMessage({ subject: 'new again', idempotencyKey: 'k2' })),
        mailbox.send(sampleMessage({ subject: 'other', idempotencyKey: 'k3' })),
      ]);
      const { items, total } = await mailbox.list(1, 10);
      expect(total).toBe(3);
      expect(items.map((m) => [m.idempotencyKey, m.subject]).sort()).toEqual([
        ['k1', 'first try'],
        ['k2', 'new'],
        ['k3', 'other'],
      ]);
    });
  });
});
