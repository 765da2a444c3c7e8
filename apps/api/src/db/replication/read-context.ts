import { AsyncLocalStorage } from 'node:async_hooks';
import type { ConsistencyToken, LogicalDatabase } from './consistency-token';

/**
 * What one request knows about read consistency, carried through its async calls: the token the
 * client sent, the logical databases this request wrote to (their primary position goes back in
 * the response), and those whose replica could not catch up in time (the rest of the request
 * reads them from the primary instead of waiting again).
 */
export interface ReadContext {
  token: ConsistencyToken;
  wrote: Set<LogicalDatabase>;
  primaryOnly: Set<LogicalDatabase>;
}

export const readContext = new AsyncLocalStorage<ReadContext>();

export const newReadContext = (token: ConsistencyToken): ReadContext => ({
  token,
  wrote: new Set(),
  primaryOnly: new Set(),
});
