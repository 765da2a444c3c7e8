import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

/** What a statement does, as a metric label: select, insert, update, delete, raw or ddl. */
export type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'merge' | 'raw' | 'ddl';

const KINDS: Record<string, StatementKind> = {
  SelectQueryNode: 'select',
  InsertQueryNode: 'insert',
  UpdateQueryNode: 'update',
  DeleteQueryNode: 'delete',
  MergeQueryNode: 'merge',
  RawNode: 'raw',
};

export const statementKind = (node: RootOperationNode): StatementKind => KINDS[node.kind] ?? 'ddl';

/** Told when a statement starts; the function it returns is called when its result arrives. */
export type QueryObserver = (kind: StatementKind) => () => void;

/**
 * Times every statement a Kysely instance runs (`db.withPlugin(new QueryObserverPlugin(...))`):
 * the observer is told at compile time, which runs synchronously in the caller's async context
 * (so a tracing observer sees the caller's span), and its `done` runs when the result comes back.
 * A statement that fails never reaches `transformResult`; its pending entry is dropped with its
 * query id (a WeakMap), so failed statements are not timed (the error reaches the caller, whose
 * own handling counts it).
 */
export class QueryObserverPlugin implements KyselyPlugin {
  private readonly pending = new WeakMap<object, () => void>();

  constructor(private readonly observer: QueryObserver) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.pending.set(args.queryId, this.observer(statementKind(args.node)));
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const done = this.pending.get(args.queryId);
    if (done) {
      this.pending.delete(args.queryId);
      done();
    }
    return args.result;
  }
}
