import {
  type Gender as ListingGender,
  ListingInput,
  type VisitType as ListingVisitType,
  Schedule,
  ServiceInput,
} from '@carebook/contracts';
import {
  type Gender,
  iterateProviders,
  type ProviderDraft,
  type ServiceDraft,
  type VisitType,
} from '@carebook/demo-data';
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { type Insertable, type Kysely, MysqlAdapter } from 'kysely';
import type { InventoryDatabase, ProviderServicesTable, ProvidersTable } from '../../db/schema';
import { newId } from '../../lib/ids';
import { type Clock, toDbTime } from '../../ports/clock';
import { newAccountRow, UsersRepository } from '../accounts/users.repository';
import { validateSchedule } from '../availability/domain';
import { listingColumns, serviceColumns } from './listing-mapper';

type Db = Kysely<InventoryDatabase>;

export { DEMO_SEED } from '@carebook/demo-data';

/** The non-login account that owns the demo directory. */
export const DIRECTORY_EMAIL = 'directory@carebook.test';
const DEMO_PROVIDER_EMAIL = 'provider@carebook.test';
/** Listings handed to the demo provider account so its dashboard has content. */
const SHOWCASE = 3;
/** Drafts checked against the contracts on every run: a drift fails fast, not in production. */
const CHECKED = 8;
/** Placeholders per statement: SQLite's SQLITE_MAX_VARIABLE_NUMBER and MySQL's prepared limit. */
const PLACEHOLDER_LIMIT = { sqlite: 32_766, mysql: 65_535 } as const;
/** Also keeps a MySQL statement's packet well under max_allowed_packet. */
const MAX_ROWS_PER_STATEMENT = 1000;

export interface SeedDemoListingsOptions {
  count: number;
  seed: number;
  clock: Clock;
  /** Owner of the listings; default: the directory account, created if missing. */
  ownerId?: string;
  /** Providers per transaction (default 500). */
  batchSize?: number;
}

// Explicit vocab maps: if the generator's spellings drift from the contracts', this stops compiling.
const genders: Record<Gender, Static<typeof ListingGender>> = {
  female: 'female',
  male: 'male',
  'non-binary': 'non-binary',
};
const visitTypes: Record<VisitType, ListingVisitType> = { 'in-person': 'in-person', video: 'video' };

/** The listing a draft describes, in the shape the API accepts. */
export function listingInputOf(d: ProviderDraft): ListingInput {
  const { line1, city, region, postcode, country } = d.address;
  return {
    name: d.name,
    kind: d.kind,
    specialties: [...d.specialties],
    conditions: [...d.conditions],
    languages: [...d.languages],
    insurance: [...d.insurance],
    gender: d.kind === 'clinic' || d.gender === null ? null : genders[d.gender],
    visitTypes: d.visitTypes.map((v) => visitTypes[v]),
    acceptingNewPatients: d.acceptingNewPatients,
    // Individual practitioners take weekly series online in the demo (free services only).
    allowsRecurring: d.kind === 'practitioner',
    bio: d.bio,
    address: { line1, city, region, postcode, country },
    location: { lat: d.latitude, lon: d.longitude },
    timeZone: d.timeZone,
  };
}

export function scheduleOf(d: ProviderDraft): Schedule {
  return {
    weekly: d.weeklyHours,
    overrides: [],
    timeOff: [],
    slotIntervalMinutes: d.slotIntervalMinutes,
    minimumNoticeMinutes: d.minimumNoticeMinutes,
    bookingHorizonDays: d.bookingHorizonDays,
    cancellationWindowHours: 24,
  };
}

const serviceInputOf = (s: ServiceDraft): ServiceInput => ({
  name: s.name,
  durationMinutes: s.durationMinutes,
  priceCents: s.priceCents,
  currency: s.currency,
  visitType: visitTypes[s.visitType],
  bufferBeforeMinutes: s.bufferBeforeMinutes,
  bufferAfterMinutes: s.bufferAfterMinutes,
});

function check(index: number, d: ProviderDraft): void {
  const fail = (what: string, detail: string) => {
    throw new Error(`demo listing ${index} (${d.key}): ${what} does not match the contracts: ${detail}`);
  };
  const first = (schema: TSchema, value: unknown) => {
    const e = Value.Errors(schema, value).First();
    return e ? `${e.path} ${e.message}` : undefined;
  };
  const listing = first(ListingInput, listingInputOf(d));
  if (listing) fail('listing', listing);
  const schedule = scheduleOf(d);
  const scheduleIssue =
    first(Schedule, schedule) ??
    validateSchedule({ ...schedule, timeZone: d.timeZone }).map((i) => `${i.path} ${i.message}`)[0];
  if (scheduleIssue) fail('schedule', scheduleIssue);
  for (const s of d.services) {
    const issue = first(ServiceInput, serviceInputOf(s));
    if (issue) fail(`service "${s.name}"`, issue);
  }
}

function providerRow(d: ProviderDraft, id: string, ownerId: string, now: string): Insertable<ProvidersTable> {
  const input = listingInputOf(d);
  return {
    id,
    owner_id: ownerId,
    ...listingColumns(input),
    schedule: JSON.stringify(scheduleOf(d)),
    photos: '[]',
    documents: '[]',
    status: 'published',
    suspended_reason: null,
    version: 1,
    created_at: now,
    updated_at: now,
    published_at: now,
  };
}

const serviceRow = (s: ServiceDraft, providerId: string, now: string): Insertable<ProviderServicesTable> => {
  return { id: newId(), provider_id: providerId, ...serviceColumns(serviceInputOf(s)), created_at: now };
};

/** Rows per multi-row INSERT so the statement stays under the dialect's placeholder limit. */
export function rowsPerStatement(db: Db, columns: number): number {
  const limit =
    db.getExecutor().adapter instanceof MysqlAdapter ? PLACEHOLDER_LIMIT.mysql : PLACEHOLDER_LIMIT.sqlite;
  return Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(limit / columns)));
}

/** Runs `insert` over statement-sized slices of `rows`. */
async function inChunks<R extends object>(
  db: Db,
  rows: R[],
  insert: (chunk: R[]) => Promise<unknown>,
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const size = rowsPerStatement(db, Object.keys(first).length);
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

const userId = async (db: Db, email: string) => (await new UsersRepository(db).byEmail(email))?.id;

/** The directory account: a verified provider nobody can sign in as. Created once. */
export async function ensureDirectoryAccount(db: Db, clock: Clock): Promise<string> {
  const existing = await userId(db, DIRECTORY_EMAIL);
  if (existing) return existing;
  const row = newAccountRow({
    email: DIRECTORY_EMAIL,
    passwordHash: '!disabled',
    displayName: 'Carebook demo directory',
    role: 'provider',
    verified: true,
    emailVerified: true,
    at: clock.now(),
  });
  await new UsersRepository(db).insert(row);
  return row.id;
}

/**
 * Writes `count` generated, published listings with their services, `batchSize` providers per
 * transaction, streaming drafts from the seeded generator. Does nothing when the owner already
 * has listings. The first few go to the demo provider account (when it exists); at least one
 * always stays with the owner, which is what makes a second run a no-op.
 */
export async function seedDemoListings(
  db: Db,
  options: SeedDemoListingsOptions,
): Promise<{ inserted: number }> {
  const { count, seed, clock } = options;
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError('batchSize must be a positive integer');
  const ownerId = options.ownerId ?? (await ensureDirectoryAccount(db, clock));
  const owned = await db
    .selectFrom('providers')
    .select('id')
    .where('owner_id', '=', ownerId)
    .limit(1)
    .execute();
  if (owned.length > 0) return { inserted: 0 };
  const showcaseOwner = await userId(db, DEMO_PROVIDER_EMAIL);
  const showcase = showcaseOwner && showcaseOwner !== ownerId ? Math.min(SHOWCASE, count - 1) : 0;
  const now = toDbTime(clock.now());

  let index = 0;
  let batch: ProviderDraft[] = [];
  const flush = async () => {
    const providers: Insertable<ProvidersTable>[] = [];
    const services: Insertable<ProviderServicesTable>[] = [];
    for (const draft of batch) {
      const id = newId();
      const owner = index < showcase && showcaseOwner ? showcaseOwner : ownerId;
      if (index < CHECKED) check(index, draft);
      providers.push(providerRow(draft, id, owner, now));
      for (const s of draft.services) services.push(serviceRow(s, id, now));
      index++;
    }
    await db.transaction().execute(async (trx) => {
      await inChunks(trx, providers, (c) => trx.insertInto('providers').values(c).execute());
      await inChunks(trx, services, (c) => trx.insertInto('provider_services').values(c).execute());
    });
    batch = [];
  };
  for (const draft of iterateProviders({ count, seed })) {
    batch.push(draft);
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  return { inserted: index };
}

/** Start-up seeding: only into a database that has no listings at all. */
export async function seedDemoListingsIfEmpty(
  db: Db,
  options: SeedDemoListingsOptions,
): Promise<{ inserted: number }> {
  const any = await db.selectFrom('providers').select('id').limit(1).execute();
  if (any.length > 0) return { inserted: 0 };
  return seedDemoListings(db, options);
}
