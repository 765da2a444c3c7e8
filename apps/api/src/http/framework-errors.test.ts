import { expect, it } from 'vitest';
import { describeAppEachDialect } from '../../test/support/app';
import { expectProblem } from '../../test/support/http';

describeAppEachDialect("Fastify's own errors are problem+json", (t) => {
  it('bad percent-encoding, a too-long path parameter and a bad Content-Type answer as problems', async () => {
    const app = t().app;
    for (const url of [
      '/api/v1/providers/%E0%A4%A',
      '/api/v1/providers/%zz',
      '/api/v1/providers/abc/documents/%',
    ])
      expectProblem(await app.inject({ url }), 400, 'MALFORMED_URL');
    const long = expectProblem(
      await app.inject({ url: `/api/v1/providers/${'a'.repeat(300)}` }),
      414,
      'URI_TOO_LONG',
    );
    // Nothing of the URL (it may carry anything) is echoed back into the problem.
    expect(JSON.stringify(long)).not.toContain('aaaaaaaaaa');
    const res = await app.inject({ url: '/api/v1/providers/%zz', headers: { 'x-request-id': 'bad-url-1' } });
    expect(res.json()).toMatchObject({ requestId: 'bad-url-1' });
    expectProblem(
      await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'application/xml' },
        payload: '<a/>',
      }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });
});
