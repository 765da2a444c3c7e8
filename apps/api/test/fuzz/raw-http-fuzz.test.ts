import { connect } from 'node:net';
import { expect, it } from 'vitest';
import { describeAppEachDialect } from '../support/app';

/** Sends raw bytes and collects everything the server answers until it closes the connection. */
function exchange(port: number, raw: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.write(raw, () => socket.end());
  });
}

/** Requests Node's HTTP parser itself refuses, before any route or hook runs. */
const broken: [string, string | Buffer, number][] = [
  ['garbage request line', 'GARBAGE\r\n\r\n', 400],
  ['bad HTTP version', 'GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n', 400],
  [
    'non-numeric Content-Length',
    'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
    400,
  ],
  [
    'Content-Length and Transfer-Encoding together (smuggling)',
    'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    400,
  ],
  [
    'broken chunked framing',
    'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n',
    400,
  ],
  ['header without a colon', 'GET /healthz HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n', 400],
  [
    'control bytes in a header value',
    Buffer.from('GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n', 'latin1'),
    400,
  ],
  [
    'headers over the size limit',
    `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    431,
  ],
];

describeAppEachDialect('raw HTTP the parser refuses', (t) => {
  it('is answered as a problem with a registered code, and the server keeps serving', async () => {
    const app = t().app;
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    for (const [what, raw, status] of broken) {
      const answer = await exchange(port, raw);
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      expect(head, what).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(head.toLowerCase(), what).toContain('content-type: application/problem+json');
      const problem = JSON.parse(body) as { status: number; code: string; requestId: string };
      expect(problem.status, what).toBe(status);
      expect(problem.code, what).toMatch(status === 431 ? /^HEADERS_TOO_LARGE$/ : /^MALFORMED_REQUEST$/);
      expect(head.toLowerCase(), what).toContain(`x-request-id: ${problem.requestId.toLowerCase()}`);
    }
    const ok = await exchange(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(ok).toMatch(/^HTTP\/1\.1 200 /);
  });
});
