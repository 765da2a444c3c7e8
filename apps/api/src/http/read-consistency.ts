import type { FastifyInstance } from 'fastify';
import {
  CONSISTENCY_HEADER,
  formatConsistencyToken,
  mergeConsistencyTokens,
  parseConsistencyToken,
} from '../db/replication/consistency-token';
import { newReadContext, readContext } from '../db/replication/read-context';
import type { Replication } from '../db/replication/replication';

/**
 * Read-your-writes over replicas (docs/scaling.md): every request runs in a read context made
 * from the `Carebook-Consistency` header the client echoes (a malformed one counts as absent);
 * a response to a request that wrote carries the primaries' positions after the write, merged
 * with the client's token, in the same header. Registered only when replicas are configured.
 */
export function registerReadConsistency(app: FastifyInstance, replication: Replication): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const header = request.headers[CONSISTENCY_HEADER];
    readContext.run(
      newReadContext(parseConsistencyToken(typeof header === 'string' ? header : undefined)),
      done,
    );
  });
  // Synchronous for a request that wrote nothing (nearly every read): no promise or tick.
  app.addHook('onSend', (request, reply, payload, done) => {
    const store = readContext.getStore();
    if (!store || store.wrote.size === 0) return done(null, payload);
    replication.primaryPositions(store.wrote).then(
      (written) => {
        reply.header(
          CONSISTENCY_HEADER,
          formatConsistencyToken(mergeConsistencyTokens(store.token, written)),
        );
        done(null, payload);
      },
      (err: unknown) => {
        // Without the header the client's next reads may be stale for up to the lag bound; never an error.
        request.log.warn({ err }, 'could not read the primary position for the consistency token');
        done(null, payload);
      },
    );
  });
}
