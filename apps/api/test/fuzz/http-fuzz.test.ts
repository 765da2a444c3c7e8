import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { describeAppEachDialect } from '../support/app';
import { type Ctx, type Practice, practice } from '../support/bookings';
import { Findings, send, urlOf } from './attack';
import {
  acceptHeaders,
  authorizations,
  contentTypes,
  hostilePathParams,
  hostileValue,
  oddHeaders,
  queryValueArb,
  rawBodies,
} from './hostile';
import { type Operation, operationsOf, pathsOf, replaceAt, sampleOf } from './spec-operations';

const SEED = 20261206;
const TIMEOUT = 600_000;
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const who = ['anonymous', 'admin', 'owner', 'patient'] as const;
type Who = (typeof who)[number];

describeAppEachDialect('HTTP fuzz: every operation of the OpenAPI document', (t) => {
  let p: Practice;
  let ops: Operation[];
  const tokenOf = (w: Who) => (w === 'anonymous' ? undefined : p.cast[w].tokens.accessToken);
  const auth = (w: Who): Record<string, string> => {
    const token = tokenOf(w);
    return token ? { authorization: `Bearer ${token}` } : {};
  };
  /** Real ids where they make sense, so hostile bodies reach past the lookup. */
  const realParam = (name: string) =>
    name === 'serviceId' ? p.paid : name === 'id' ? p.listing.id : '0190b0c4-3a6e-7c2a-9d3e-5f6a7b8c9d0e';

  /** The listing's current version, so edits carry a matching If-Match and reach the service. */
  const listingVersion = async () =>
    (
      (await t().app.inject({ url: `/api/v1/providers/${p.listing.id}`, headers: auth('owner') })).json() as {
        version: number;
      }
    ).version;

  beforeAll(async () => {
    p = await practice(t() as Ctx);
    ops = await operationsOf(t().app);
  }, TIMEOUT);

  it(
    'the document lists the whole API',
    () => {
      expect(ops.length).toBeGreaterThan(80);
    },
    TIMEOUT,
  );

  it(
    'hostile values planted in each field of a well-formed body',
    async () => {
      const findings = new Findings();
      const app = t().app;
      for (const op of ops.filter((o) => o.body)) {
        const sample = sampleOf(op.body);
        const cases = fc.sample(
          fc.tuple(fc.constantFrom(...pathsOf(sample)), hostileValue, fc.constantFrom(...who)),
          { seed: SEED, numRuns: RUNS },
        );
        for (const [path, value, w] of cases) {
          const payload = replaceAt(sample, path, value);
          const version = op.path.startsWith('/api/v1/providers/{id}') ? await listingVersion() : undefined;
          await send(
            app,
            findings,
            op,
            {
              method: op.method,
              url: urlOf(op.path, realParam),
              headers: {
                ...auth(w),
                'content-type': 'application/json',
                ...(version === undefined ? {} : { 'if-match': `"${version}"` }),
              },
              payload: JSON.stringify(payload),
            },
            `${w} /${path.join('/')}`,
          );
        }
      }
      expect(findings.list()).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'malformed path and query parameters',
    async () => {
      const findings = new Findings();
      const app = t().app;
      for (const op of ops) {
        const queryNames = op.parameters.filter((x) => x.in === 'query').map((x) => x.name);
        const cases = fc.sample(
          fc.tuple(
            fc.constantFrom(...hostilePathParams),
            fc
              .array(fc.constantFrom(...queryNames, 'unknown', 'limit', 'offset', 'cursor'), { maxLength: 3 })
              .chain((names) => fc.tuple(...names.map((n) => queryValueArb(n)))),
            fc.constantFrom(...who),
          ),
          { seed: SEED, numRuns: RUNS },
        );
        for (const [param, query, w] of cases) {
          const url = `${urlOf(op.path, () => param)}${query.length ? `?${query.join('&')}` : ''}`;
          const body = op.body ? { payload: JSON.stringify(sampleOf(op.body)) } : {};
          await send(
            app,
            findings,
            op,
            { method: op.method, url, headers: { ...auth(w), 'content-type': 'application/json' }, ...body },
            w,
          );
        }
      }
      expect(findings.list()).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'raw bodies that are not JSON, wrong Content-Types, odd headers and Authorization schemes',
    async () => {
      const findings = new Findings();
      const app = t().app;
      for (const op of ops) {
        const cases = fc.sample(
          fc.record({
            body: fc.constantFrom(...rawBodies),
            type: fc.constantFrom(...contentTypes),
            authorization: fc.constantFrom(...authorizations, `Bearer ${tokenOf('owner')}`),
            accept: fc.constantFrom(...acceptHeaders),
            odd: oddHeaders,
            w: fc.constantFrom(...who),
          }),
          { seed: SEED, numRuns: RUNS },
        );
        for (const c of cases) {
          const headers: Record<string, string> = { ...auth(c.w), ...c.odd, 'content-type': c.type };
          if (c.authorization !== undefined) headers.authorization = c.authorization;
          if (c.accept !== undefined) headers.accept = c.accept;
          await send(
            app,
            findings,
            op,
            { method: op.method, url: urlOf(op.path, realParam), headers, payload: c.body },
            `${c.type} ${c.body.slice(0, 20)}`,
          );
        }
      }
      expect(findings.list()).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'a huge invalid array answers its first error, not one error per item (it used to take minutes)',
    async () => {
      const res = await t().app.inject({
        method: 'PUT',
        url: '/api/v1/me/messaging',
        headers: auth('patient'),
        payload: {
          phone: null,
          reminderChannels: Array.from({ length: 100_000 }, (_, i) => i),
          smsConsent: false,
        },
      });
      expect(res.statusCode).toBe(400);
      const problem = res.json() as { code: string; errors: { path: string }[] };
      expect(problem.code).toBe('VALIDATION_FAILED');
      expect(problem.errors).toHaveLength(1);
      expect(problem.errors[0]?.path).toMatch(/^\/body\/reminderChannels/);
      // A small invalid input still lists all its errors.
      const small = await t().app.inject({
        method: 'PUT',
        url: '/api/v1/me/messaging',
        headers: auth('patient'),
        payload: { phone: 5, reminderChannels: ['fax'], smsConsent: 'yes' },
      });
      const paths = (small.json() as { errors: { path: string }[] }).errors.map((e) => e.path);
      expect(paths).toEqual(
        expect.arrayContaining(['/body/phone', '/body/reminderChannels/0', '/body/smsConsent']),
      );
    },
    TIMEOUT,
  );

  it(
    'the process is still up and answering',
    async () => {
      const res = await t().app.inject({ url: '/healthz' });
      expect(res.statusCode).toBe(200);
    },
    TIMEOUT,
  );
});
