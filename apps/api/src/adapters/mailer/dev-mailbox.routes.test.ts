import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/support/databases';
import { expectProblem } from '../../../test/support/http';
import { ensureNotificationTables, routeTestApp, steppingClock } from '../../../test/support/notifications';
import { DevMailbox } from './dev-mailbox';
import { devMailboxRoutes } from './dev-mailbox.routes';
import { sampleMessage } from './mailer.contract';

const EVIL = '<script>alert("x")</script> & \'quotes\'';

describeEachDialect('dev mailbox viewer', (db) => {
  let app: FastifyInstance;
  let mailbox: DevMailbox;
  beforeAll(async () => {
    await ensureNotificationTables(db().dbs.inventory.db);
    mailbox = new DevMailbox(db().dbs.inventory.db, steppingClock('2026-11-24T10:00:00.000Z', 60_000));
    await mailbox.send(sampleMessage({ subject: 'Older message', idempotencyKey: 'k-old' }));
    await mailbox.send(
      sampleMessage({
        to: 'pat+<x>@example.test',
        subject: EVIL,
        text: `Hi ${EVIL}`,
        html: `<p>${EVIL}</p>`,
        idempotencyKey: 'k-evil',
        attachments: [
          {
            filename: 'invite.ics',
            content: 'BEGIN:VCALENDAR\r\n',
            contentType: 'text/calendar; method=REQUEST; charset=UTF-8',
          },
          { filename: 'page "1".html', content: '<script>bad()</script>', contentType: 'text/html' },
        ],
      }),
    );
    app = await routeTestApp((a) => devMailboxRoutes(a, mailbox));
  });
  afterAll(() => app?.close());

  const newest = async () => (await mailbox.list(1, 1)).items[0]?.id ?? '';

  it('lists messages newest first as escaped HTML', async () => {
    const res = await app.inject({ url: '/dev/mailbox' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toMatch(/^<!doctype html>/);
    expect(res.body).not.toContain('<script>');
    expect(res.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
    expect(res.body).toContain('pat+&lt;x&gt;@example.test');
    expect(res.body.indexOf('&lt;script&gt;')).toBeLessThan(res.body.indexOf('Older message'));
    expect(res.body).toContain(`href="/dev/mailbox/${await newest()}"`);
  });

  it('shows one message escaped, with links to its attachments', async () => {
    const id = await newest();
    const res = await app.inject({ url: `/dev/mailbox/${id}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/<script>|<p>&lt;script/);
    expect(res.body).toContain('&lt;p&gt;&lt;script&gt;');
    expect(res.body).toContain(`<a href="/dev/mailbox/${id}/attachments/0">invite.ics</a>`);
    expect(res.body).toContain(`<a href="/dev/mailbox/${id}/attachments/1">page &quot;1&quot;.html</a>`);
  });

  it('serves attachments as downloads with their content type', async () => {
    const id = await newest();
    const ics = await app.inject({ url: `/dev/mailbox/${id}/attachments/0` });
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toBe('text/calendar; method=REQUEST; charset=UTF-8');
    expect(ics.headers['content-disposition']).toBe(
      `attachment; filename="invite.ics"; filename*=UTF-8''invite.ics`,
    );
    expect(ics.body).toBe('BEGIN:VCALENDAR\r\n');
    const html = await app.inject({ url: `/dev/mailbox/${id}/attachments/1` });
    expect(html.headers['content-disposition']).toMatch(/^attachment; filename="page__1_.html"/);
    expect(html.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers unknown messages and attachments with problems', async () => {
    const missing = '0193a5b0-0000-7000-8000-00000000dead';
    expectProblem(await app.inject({ url: `/dev/mailbox/${missing}` }), 404, 'NOT_FOUND');
    expectProblem(
      await app.inject({ url: `/dev/mailbox/${await newest()}/attachments/2` }),
      404,
      'NOT_FOUND',
    );
    expectProblem(await app.inject({ url: '/dev/mailbox/not-an-id' }), 400, 'VALIDATION_FAILED');
  });
});
