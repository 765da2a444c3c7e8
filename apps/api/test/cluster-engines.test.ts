import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  call,
  publishedPractice,
  registerAt,
  startTwoInstances,
  type TwoInstances,
} from './support/cluster-client';
import { mariadbAvailable } from './support/databases';
import { type ApiProcess, until } from './support/processes';

/**
 * Issue 13's variant of the cluster test: the two production instances use Apache Kafka (event
 * bus) and OpenSearch (one shared index) from tools/engines in place of Redis Streams and the
 * embedded index. Bookings are made on both; both instances search the same index.
 */
const brokers = inject('kafkaBrokers');
const searchUrl = inject('searchUrl');

interface Hit {
  id: string;
  nextAvailableAt: string | null;
}

describe.skipIf(!mariadbAvailable() || !brokers || !searchUrl)(
  'two API instances on Kafka and OpenSearch',
  () => {
    let c: TwoInstances;
    let a: ApiProcess;
    let b: ApiProcess;
    let ownerToken: string;

    beforeAll(async () => {
      // The instances use the default index names; a node reused across runs starts clean.
      await fetch(`${searchUrl}/carebook-providers*,carebook-search-meta?ignore_unavailable=true`, {
        method: 'DELETE',
      });
      // Each instance gets 200 s to become ready: its Kafka consumer groups may rebalance once more
      // when the other instance joins (a 30 s session round), which overran the default 60 s.
      c = await startTwoInstances(
        {
          EVENT_BUS_URL: `kafka://${brokers}/carebook-cluster-${randomBytes(4).toString('hex')}`,
          SEARCH_URL: searchUrl,
        },
        200_000,
      );
      ({ a, b, ownerToken } = c);
    }, 300_000);

    afterAll(async () => {
      expect(await c?.stop()).toEqual([0, 0]);
    }, 60_000);

    const find = async (base: string, name: string, id: string): Promise<Hit | undefined> => {
      const res = await call(base, 'GET', `/api/v1/search?q=${encodeURIComponent(name)}&size=5`);
      expect(res.status).toBe(200);
      return (res.body.results as Hit[]).find((h) => h.id === id);
    };

    it('indexes once into one shared index; bookings on both instances move "next available" on both', async () => {
      const { listing, short } = await publishedPractice(a.url, ownerToken);
      // Published on A, searchable on B: the once-per-cluster indexer wrote the shared index.
      await until(
        'B to find the new listing',
        async () => (await find(b.url, listing.name, listing.id)) !== undefined,
      );
      const aliases = (await (await fetch(`${searchUrl}/_alias/carebook-providers`)).json()) as object;
      expect(Object.keys(aliases)).toHaveLength(1);
      const patientA = await registerAt(a.url, 'patient', 'Kafka Patient A', c.around.mail);
      const patientB = await registerAt(b.url, 'patient', 'Kafka Patient B', c.around.mail);
      for (const [base, patient] of [
        [a.url, patientA],
        [b.url, patientB],
      ] as const) {
        const next = (await find(base, listing.name, listing.id))?.nextAvailableAt;
        expect(next).toBeTruthy();
        const booked = await call(base, 'POST', '/api/v1/bookings', {
          token: patient.tokens.accessToken,
          headers: { 'idempotency-key': `kafka-${randomBytes(6).toString('hex')}` },
          body: {
            providerId: listing.id,
            serviceId: short,
            start: next,
            reasonForVisit: 'Check-up',
            newPatient: true,
          },
        });
        expect(booked.status, JSON.stringify(booked.body)).toBe(201);
        // The booking's event reaches the indexer through Kafka; both instances then show a later
        // first slot (the search cache drops results showing the listing when it is re-indexed).
        const started = performance.now();
        for (const other of [a.url, b.url])
          await until('search to show the next slot after the booking', async () => {
            const now = (await find(other, listing.name, listing.id))?.nextAvailableAt;
            return now !== undefined && now !== null && Date.parse(now) > Date.parse(next as string);
          });
        console.log(
          `cluster on Kafka + OpenSearch: search converged on both instances ${(performance.now() - started).toFixed(0)} ms after the booking`,
        );
      }
    }, 120_000);
  },
);
