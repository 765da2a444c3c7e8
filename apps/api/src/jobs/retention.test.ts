import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { TestClock } from '../../test/support/app';
import { describeEachDialect } from '../../test/support/databases';
import type { RetentionConfig } from '../config/privacy';
import type { InventoryDatabase } from '../db/schema';
import { newId } from '../lib/ids';
import { toDbTime } from '../ports/clock';
import { RetentionJob } from './retention';

const DAY = 86_400_000;
const ages: RetentionConfig = {
  intervalMinutes: 60,
  deliveredOutboxDays: 7,
  endedSessionsDays: 30,
  spentRefreshTokensDays: 10,
  paymentEventsDays: 90,
  idempotencyKeysHours: 48,
  readNotificationsDays: 60,
  devMailboxDays: 5,
};

describeEachDialect('retention job', (ctx) => {
  it('prunes each kind of row past its own age, and nothing else', async () => {
    const clock = new TestClock(new Date('2026-12-06T12:00:00.000Z'));
    const ago = (days: number) => toDbTime(new Date(clock.now().getTime() - days * DAY));
    const inv = ctx().dbs.inventory.db;
    const bk = ctx().dbs.bookings.db;
    const user = newId();
    await inv
      .insertInto('users')
      .values({
        id: user,
        email: `${user}@example.test`,
        password_hash: 'x',
        display_name: 'R',
        role: 'patient',
        status: 'active',
        verified: 1,
        provider_id: null,
        suspended_reason: null,
        created_at: ago(400),
        updated_at: ago(400),
      })
      .execute();
    const keep = new Map<string, string[]>();
    const gone = new Map<string, string[]>();
    const note = (m: Map<string, string[]>, table: string, id: string) =>
      m.set(table, [...(m.get(table) ?? []), id]);

    for (const table of ['inventory_outbox', 'bookings_outbox'] as const) {
      const db = (table === 'inventory_outbox' ? inv : bk) as unknown as Kysely<InventoryDatabase>;
      for (const [published, expectGone] of [
        [ago(8), true],
        [ago(6), false],
        [null, false],
      ] as const) {
        const id = newId();
        await db
          .insertInto(table as 'inventory_outbox')
          .values({
            id,
            aggregate_type: 't',
            aggregate_id: newId(),
            event_type: 'e',
            payload: '{}',
            occurred_at: ago(100),
            published_at: published,
            attempts: 0,
            last_error: null,
          })
          .execute();
        note(expectGone ? gone : keep, table, id);
      }
    }
    // Sessions: expired long ago, revoked long ago, live; tokens: spent long ago, live.
    const sessions: [string, string, string | null, boolean][] = [
      [newId(), ago(31), null, true],
      [newId(), toDbTime(new Date(clock.now().getTime() + DAY)), ago(31), true],
      [newId(), toDbTime(new Date(clock.now().getTime() + DAY)), null, false],
      [newId(), ago(29), null, false],
    ];
    for (const [id, expires, revoked, expectGone] of sessions) {
      await inv
        .insertInto('sessions')
        .values({
          id,
          user_id: user,
          created_at: ago(60),
          last_used_at: ago(40),
          expires_at: expires,
          revoked_at: revoked,
          revoked_reason: revoked ? 'logout' : null,
          ip: null,
          user_agent: null,
        })
        .execute();
      note(expectGone ? gone : keep, 'sessions', id);
    }
    const live = sessions[2]?.[0] as string;
    for (const [usedAt, expectGone] of [
      [ago(11), true],
      [ago(9), false],
      [null, false],
    ] as const) {
      const id = newId();
      await inv
        .insertInto('refresh_tokens')
        .values({
          id,
          session_id: live,
          token_hash: id.replaceAll('-', '').padEnd(64, '0'),
          created_at: ago(20),
          expires_at: toDbTime(new Date(clock.now().getTime() + DAY)),
          used_at: usedAt,
        })
        .execute();
      note(expectGone ? gone : keep, 'refresh_tokens', id);
    }
    for (const [at, expectGone] of [
      [ago(91), true],
      [ago(89), false],
    ] as const) {
      const id = `evt_${newId()}`;
      await bk
        .insertInto('payment_events')
        .values({ event_id: id, type: 't', booking_id: null, processed_at: at })
        .execute();
      note(expectGone ? gone : keep, 'payment_events', id);
    }
    for (const [at, expectGone] of [
      [ago(3), true],
      [ago(1), false],
    ] as const) {
      const key = newId();
      await bk
        .insertInto('idempotency_keys')
        .values({
          user_id: user,
          idem_key: key,
          request_hash: 'h',
          booking_id: newId(),
          response_status: 201,
          response_body: '{}',
          created_at: at,
        })
        .execute();
      note(expectGone ? gone : keep, 'idempotency_keys', key);
    }
    for (const [readAt, expectGone] of [
      [ago(61), true],
      [ago(59), false],
      [null, false],
    ] as const) {
      const id = newId();
      await inv
        .insertInto('notifications')
        .values({
          id,
          user_id: user,
          booking_id: newId(),
          kind: 'k',
          title: 't',
          body: 'b',
          created_at: ago(200),
          read_at: readAt,
          emailed_at: null,
          dedupe_key: id,
        })
        .execute();
      note(expectGone ? gone : keep, 'notifications', id);
    }
    for (const [at, expectGone] of [
      [ago(6), true],
      [ago(4), false],
    ] as const) {
      const id = newId();
      await inv
        .insertInto('dev_mailbox')
        .values({
          id,
          to_address: 'a@example.test',
          subject: 's',
          text: 't',
          html: null,
          attachments: '[]',
          created_at: at,
          idempotency_key: id,
        })
        .execute();
      note(expectGone ? gone : keep, 'dev_mailbox', id);
    }

    // Batches of 1 exercise the loop.
    const report = await new RetentionJob(
      { inventory: inv as never, bookings: bk, clock },
      ages,
      1,
    ).runOnce();
    expect(report).toEqual({
      inventoryOutbox: 1,
      bookingsOutbox: 1,
      refreshTokens: 1,
      sessions: 2,
      paymentEvents: 1,
      idempotencyKeys: 1,
      notifications: 1,
      devMailbox: 1,
    });
    const present = async (table: string) => {
      const db = ['bookings_outbox', 'payment_events', 'idempotency_keys'].includes(table) ? bk : inv;
      const column =
        table === 'payment_events' ? 'event_id' : table === 'idempotency_keys' ? 'idem_key' : 'id';
      const rows = await (db as unknown as Kysely<Record<string, Record<string, string>>>)
        .selectFrom(table)
        .select(column)
        .execute();
      return new Set(rows.map((r) => r[column]));
    };
    for (const [table, ids] of keep) {
      const have = await present(table);
      for (const id of ids) expect(have.has(id), `${table} kept ${id}`).toBe(true);
    }
    for (const [table, ids] of gone) {
      const have = await present(table);
      for (const id of ids) expect(have.has(id), `${table} pruned ${id}`).toBe(false);
    }
    // A second pass finds nothing more.
    const again = await new RetentionJob({ inventory: inv as never, bookings: bk, clock }, ages).runOnce();
    expect(Object.values(again).every((n) => n === 0)).toBe(true);
  });
});
