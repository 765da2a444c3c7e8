import { validate } from '@readme/openapi-parser';
import { expect, it } from 'vitest';
import { describeAppEachDialect } from '../../test/support/app';

describeAppEachDialect('OpenAPI document', (t) => {
  it('is a valid OpenAPI 3.1 document served at /api/v1/openapi.json', async () => {
    const res = await t().app.inject({ url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc));
    expect(result.valid, JSON.stringify(result, null, 2).slice(0, 2000)).toBe(true);
  });

  it('gives every API route request and response schemas, with problem+json errors', async () => {
    const doc = (await t().app.inject({ url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const missing: string[] = [];
    let operations = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/v1') && path !== '/healthz' && path !== '/readyz') continue;
      for (const [method, op] of Object.entries(ops)) {
        operations++;
        const where = `${method.toUpperCase()} ${path}`;
        const responses = op.responses as Record<string, { content?: Record<string, { schema?: unknown }> }>;
        const success = Object.entries(responses).filter(([code]) => code.startsWith('2'));
        if (success.length === 0) missing.push(`${where}: no 2xx response`);
        for (const [code, r] of success) {
          const schemas = Object.values(r.content ?? {}).filter((c) => c.schema);
          if (code !== '204' && schemas.length === 0) missing.push(`${where}: ${code} has no schema`);
        }
        if (path.startsWith('/api/v1') && !responses['400']?.content?.['application/problem+json']) {
          missing.push(`${where}: 400 is not documented as problem+json`);
        }
        if (
          ['post', 'put', 'patch'].includes(method) &&
          !op.requestBody &&
          !/\/(logout|verify|publish|unpublish|read)$/.test(path)
        ) {
          missing.push(`${where}: no request body schema`);
        }
        const params = (op.parameters ?? []) as { in: string; name: string; schema?: unknown }[];
        for (const name of path.match(/\{(\w+)\}/g) ?? []) {
          const p = params.find((x) => x.in === 'path' && `{${x.name}}` === name);
          if (!p?.schema) missing.push(`${where}: path parameter ${name} has no schema`);
        }
      }
    }
    expect(operations).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });

  // The document itself, and the WebSocket (OpenAPI 3.1 cannot describe one; see the README).
  const notHttpJson = ['/api/v1/openapi.json', '/api/v1/ws'];

  it('documents every registered API route', async () => {
    const doc = (await t().app.inject({ url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, object>;
    };
    const routes = t()
      .app.printRoutes({ commonPrefix: false })
      .split('\n')
      .map((l) => l.replace(/^[\s│├└─]+/, '').split(' (')[0] ?? '')
      .filter((p) => p.startsWith('/api/v1/') && !p.includes('__test__') && !notHttpJson.includes(p));
    const documented = new Set(Object.keys(doc.paths).map((p) => p.replace(/\{(\w+)\}/g, ':$1')));
    expect(routes.length).toBeGreaterThan(5);
    expect(routes.filter((r) => !documented.has(r))).toEqual([]);
  });
});
