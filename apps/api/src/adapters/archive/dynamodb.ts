import {
  type AttributeValue,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import type { ArchivedBooking, ArchiveFilter, ArchiveListOptions, BookingArchive } from '../../ports/archive';

export interface DynamoDbArchiveOptions {
  table: string;
  region: string;
  /** A DynamoDB-compatible endpoint (dynalite, DynamoDB Local); AWS when absent. */
  endpoint?: string;
  /** Standard AWS credential chain when absent. */
  credentials?: DynamoDBClientConfig['credentials'];
}

/** One index per history; all share the sort key `sk2` = `<start instant>#<booking id>`. */
const INDEXES = {
  patient: { name: 'by_patient', key: 'patientKey', prefix: 'PATIENT#' },
  owner: { name: 'by_owner', key: 'ownerKey', prefix: 'OWNER#' },
  provider: { name: 'by_provider', key: 'providerKey', prefix: 'PROVIDER#' },
  all: { name: 'by_start', key: 'allKey', prefix: '' },
} as const;
const ALL = 'ALL';
const PUT_PARALLELISM = 8;

const S = (v: string): AttributeValue => ({ S: v });
const sortKey = (start: string, id: string) => `${start}#${id}`;

/**
 * The archive in one DynamoDB table (see README.md for the key design): the booking item under
 * `pk = BOOKING#<id>, sk = BOOKING`, found in a patient's, a practice's, a listing's and the global
 * history through four GSIs sorted by start time. Writes are conditional puts (newest copy wins).
 */
export class DynamoDbBookingArchive implements BookingArchive {
  private readonly client: DynamoDBClient;
  private readonly table: string;

  constructor(options: DynamoDbArchiveOptions) {
    this.table = options.table;
    this.client = new DynamoDBClient({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
    });
  }

  /** Creates the table with its indexes if it is missing (on-demand billing) and waits until active. */
  async ensureTable(): Promise<void> {
    const keyAttrs = ['pk', 'sk', 'sk2', ...Object.values(INDEXES).map((i) => i.key)];
    try {
      await this.client.send(
        new CreateTableCommand({
          TableName: this.table,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: keyAttrs.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: Object.values(INDEXES).map((i) => ({
            IndexName: i.name,
            KeySchema: [
              { AttributeName: i.key, KeyType: 'HASH' },
              { AttributeName: 'sk2', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          })),
        }),
      );
    } catch (err) {
      if (!(err instanceof ResourceInUseException)) throw err;
    }
    for (let i = 0; i < 600; i++) {
      const { Table } = await this.client.send(new DescribeTableCommand({ TableName: this.table }));
      const indexesReady = (Table?.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE');
      if (Table?.TableStatus === 'ACTIVE' && indexesReady) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`DynamoDB table ${this.table} did not become active`);
  }

  async put(records: readonly ArchivedBooking[]): Promise<void> {
    for (let i = 0; i < records.length; i += PUT_PARALLELISM) {
      await Promise.all(records.slice(i, i + PUT_PARALLELISM).map((r) => this.putOne(r)));
    }
  }

  private async putOne(record: ArchivedBooking): Promise<void> {
    const b = record.booking;
    const item: Record<string, AttributeValue> = {
      pk: S(`BOOKING#${b.id}`),
      sk: S('BOOKING'),
      sk2: S(sortKey(b.start_at, b.id)),
      patientKey: S(INDEXES.patient.prefix + b.patient_id),
      ownerKey: S(INDEXES.owner.prefix + b.owner_id),
      providerKey: S(INDEXES.provider.prefix + b.provider_id),
      allKey: S(ALL),
      providerId: S(b.provider_id),
      ownerId: S(b.owner_id),
      patientId: S(b.patient_id),
      status: S(b.status),
      startAt: S(b.start_at),
      updatedAt: S(b.updated_at),
      version: { N: String(b.version) },
      record: S(JSON.stringify(record)),
    };
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression:
            'attribute_not_exists(pk) OR updatedAt < :u OR (updatedAt = :u AND version < :v)',
          ExpressionAttributeValues: { ':u': S(b.updated_at), ':v': { N: String(b.version) } },
        }),
      );
    } catch (err) {
      // The archive already holds this copy or a newer one: nothing to do.
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  async get(id: string): Promise<ArchivedBooking | null> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.table,
        Key: { pk: S(`BOOKING#${id}`), sk: S('BOOKING') },
        ConsistentRead: true,
      }),
    );
    return Item?.record?.S ? (JSON.parse(Item.record.S) as ArchivedBooking) : null;
  }

  async list(filter: ArchiveFilter, options: ArchiveListOptions): Promise<ArchivedBooking[]> {
    const out: ArchivedBooking[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          ...this.query(filter, options),
          Limit: options.limit,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        if (out.length < options.limit && item.record?.S) out.push(JSON.parse(item.record.S));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && out.length < options.limit);
    return out;
  }

  async count(filter: ArchiveFilter): Promise<number> {
    let n = 0;
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          ...this.query(filter, { order: 'asc', limit: 0 }),
          Select: 'COUNT',
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      n += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return n;
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  /** Picks the narrowest index for the filter; the rest of the filter becomes a FilterExpression. */
  private query(filter: ArchiveFilter, options: ArchiveListOptions): QueryCommandInput {
    const index = filter.patientId
      ? { ...INDEXES.patient, value: filter.patientId }
      : filter.ownerId
        ? { ...INDEXES.owner, value: filter.ownerId }
        : filter.providerId
          ? { ...INDEXES.provider, value: filter.providerId }
          : { ...INDEXES.all, value: ALL };
    const names: Record<string, string> = { '#hk': index.key };
    const values: Record<string, AttributeValue> = { ':hk': S(index.prefix + index.value) };
    let keyCondition = '#hk = :hk';
    if (options.after) {
      keyCondition += ` AND sk2 ${options.order === 'asc' ? '>' : '<'} :after`;
      values[':after'] = S(sortKey(options.after.start, options.after.id));
    }
    const conditions: string[] = [];
    const add = (attr: string, op: string, value: string) => {
      const n = `:f${conditions.length}`;
      names[`#${attr}`] = attr;
      values[n] = S(value);
      conditions.push(`#${attr} ${op} ${n}`);
    };
    if (filter.patientId && index.name !== INDEXES.patient.name) add('patientId', '=', filter.patientId);
    if (filter.ownerId && index.name !== INDEXES.owner.name) add('ownerId', '=', filter.ownerId);
    if (filter.providerId && index.name !== INDEXES.provider.name) add('providerId', '=', filter.providerId);
    if (filter.status) add('status', '=', filter.status);
    if (filter.startFrom) add('startAt', '>=', filter.startFrom);
    if (filter.startBefore) add('startAt', '<', filter.startBefore);
    return {
      TableName: this.table,
      IndexName: index.name,
      KeyConditionExpression: keyCondition,
      ...(conditions.length ? { FilterExpression: conditions.join(' AND ') } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: options.order === 'asc',
    };
  }
}
