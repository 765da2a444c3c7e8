import { problemCodes } from '@carebook/contracts';
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { describeAppEachDialect } from '../support/app';
import { type Cast, castOf } from '../support/providers';

type Socket = Awaited<ReturnType<import('fastify').FastifyInstance['injectWS']>>;

const SEED = 20261206;

/** Frames an attacker sends: not JSON, wrong shapes, binary, other people's topics, oversized. */
const frames: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.constantFrom(
    '',
    '{',
    'null',
    '{"type":1}',
    '{"type":"auth"}',
    '{"type":"auth","token":42}',
    '{"type":"auth","token":"Bearer x"}',
    '{"type":"auth","token":"a.b.c"}',
    `{"type":"auth","token":"${'a'.repeat(15_000)}"}`,
    '{"type":"subscribe","topic":"bookings:*"}',
    '{"type":"subscribe","userId":"0190b0c4-3a6e-7c2a-9d3e-5f6a7b8c9d0e"}',
    '{"type":"ping","__proto__":{"admin":true}}',
    '{"type":"__proto__"}',
    '{"type":"ping"}',
    `${'['.repeat(5000)}${']'.repeat(5000)}`,
  ),
  fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
  fc.string({ unit: 'binary', maxLength: 64 }),
);

/** The JSON messages the server sent, and how the socket ended. */
interface Live {
  ws: Socket;
  messages: { type: string; code?: string }[];
  closed: Promise<number>;
}

describeAppEachDialect('WebSocket fuzz', (t) => {
  let cast: Cast;
  beforeAll(async () => {
    cast = await castOf(t());
  });

  const open = async (): Promise<Live> => {
    const ws = await t().app.injectWS('/api/v1/ws');
    const messages: Live['messages'] = [];
    ws.on('message', (raw: Buffer) => messages.push(JSON.parse(raw.toString())));
    const closed = new Promise<number>((resolve) => ws.on('close', (code: number) => resolve(code)));
    return { ws, messages, closed };
  };

  it('any frames, before and after auth, get registered error codes and leave the server serving', async () => {
    const cases = fc.sample(fc.tuple(fc.boolean(), fc.array(frames, { minLength: 1, maxLength: 4 })), {
      seed: SEED,
      numRuns: 40,
    });
    for (const [authFirst, sequence] of cases) {
      const live = await open();
      if (authFirst) {
        live.ws.send(JSON.stringify({ type: 'auth', token: cast.patient.tokens.accessToken }));
        await expect.poll(() => live.messages.map((m) => m.type)).toContain('ready');
      }
      for (const frame of sequence) live.ws.send(frame);
      live.ws.send(JSON.stringify({ type: 'ping' }));
      await expect.poll(() => live.messages.some((m) => m.type === 'pong' || m.type === 'error')).toBe(true);
      for (const m of live.messages.filter((x) => x.type === 'error'))
        expect(Object.keys(problemCodes)).toContain(m.code);
      live.ws.terminate();
    }
    expect((await t().app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });

  it('a frame over the size limit closes that socket only', async () => {
    const live = await open();
    live.ws.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(20_000) }));
    expect(await live.closed).toBe(1009);
    const other = await open();
    other.ws.send(JSON.stringify({ type: 'auth', token: cast.owner.tokens.accessToken }));
    await expect.poll(() => other.messages.map((m) => m.type)).toContain('ready');
    other.ws.terminate();
  });

  it('a socket that leaves while its sign-in is checked, or signs in twice at once, leaves nothing behind', async () => {
    const hub = t().services.realtime;
    // Sockets of the earlier tests are gone once their close is handled.
    await expect.poll(() => hub.size).toBe(0);
    for (let i = 0; i < 5; i++) {
      const live = await open();
      live.ws.send(JSON.stringify({ type: 'auth', token: cast.patient.tokens.accessToken }));
      live.ws.terminate();
      await live.closed;
    }
    const twice = await open();
    const auth = JSON.stringify({ type: 'auth', token: cast.patient.tokens.accessToken });
    twice.ws.send(auth);
    twice.ws.send(auth);
    await expect.poll(() => twice.messages.map((m) => m.type)).toContain('ready');
    twice.ws.terminate();
    await twice.closed;
    await expect.poll(() => hub.size).toBe(0);
    // A sign-in started after the others is answered after them: by then none of them came back.
    const last = await open();
    last.ws.send(auth);
    await expect.poll(() => last.messages.map((m) => m.type)).toContain('ready');
    expect(hub.size).toBe(1);
    last.ws.terminate();
    await expect.poll(() => hub.size).toBe(0);
  });
});
