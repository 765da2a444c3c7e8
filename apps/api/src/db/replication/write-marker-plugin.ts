import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import type { LogicalDatabase } from './consistency-token';
import { readContext } from './read-context';

/**
 * On a primary that has replicas: notes in the request's read context that the request wrote to
 * this logical database, so the response carries the primary's position after the write. Every
 * statement but a SELECT (or a raw SELECT/SHOW) counts; a write that rolled back only makes a
 * later read wait for a position that is there anyway.
 */
export class WriteMarkerPlugin implements KyselyPlugin {
  constructor(private readonly database: LogicalDatabase) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const store = readContext.getStore();
    if (store && isWrite(args.node)) store.wrote.add(this.database);
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

function isWrite(node: RootOperationNode): boolean {
  if (node.kind === 'SelectQueryNode') return false;
  if (node.kind === 'RawNode') return !/^\s*(select|show|with)\b/i.test(node.sqlFragments[0] ?? '');
  return true;
}
