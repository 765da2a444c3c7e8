import type {
  Listing,
  ListingInput,
  ListingListQuery,
  ListingSummary,
  Photo,
  ProviderEventType,
  Schedule,
  Service,
  ServiceInput,
} from '@carebook/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { InventoryDatabase, ProvidersTable } from '../../db/schema';
import { DomainError, forbidden, notFound } from '../../domain/errors';
import { newId } from '../../lib/ids';
import { appendToOutbox } from '../../lib/outbox';
import type { Principal, RequestMeta } from '../../lib/request-meta';
import { type Clock, toDbTime } from '../../ports/clock';
import type { Paged } from '../admin/admin.service';
import type { AuditService } from '../audit/audit.service';
import { assertCan } from '../auth/permissions';
import { canManage, canSee } from './listing-access';
import { checkSchedule, defaultSchedule, normaliseListingInput } from './listing-input';
import {
  listingColumns,
  type ProviderRow,
  parseDocuments,
  type StoredDocument,
  toListing,
  toSummary,
} from './listing-mapper';

const MAX_PHOTOS = 20;
const MAX_DOCUMENTS = 20;

import type { Cache } from '../../ports/cache';
import { LISTING_CACHE_TTL_SECONDS, listingCacheKey, listingCacheTag } from './listing-cache';
import type { ProvidersRepository } from './providers.repository';

type Db = Kysely<InventoryDatabase>;

/** Told after every committed listing change (cache invalidation, relay nudge). */
export interface ListingChangeListener {
  listingChanged(providerId: string): Promise<void>;
}

export interface ProvidersServiceDeps {
  db: Db;
  repo: ProvidersRepository;
  /** The same queries on a read replica, for public listing pages (falls back to `repo` on error). */
  replica?: ProvidersRepository;
  log?: Pick<FastifyBaseLogger, 'warn'>;
  audit: AuditService;
  clock: Clock;
  listener: ListingChangeListener;
  cache: Cache;
  /** Told of every listing the API served to a reader (popularity for cache warming). */
  viewed?: (listingId: string) => void;
  /** Replaceable only to prove atomicity in tests. */
  appendEvent?: typeof appendToOutbox;
}

export class ProvidersService {
  private readonly appendEvent: typeof appendToOutbox;

  constructor(private readonly d: ProvidersServiceDeps) {
    this.appendEvent = d.appendEvent ?? appendToOutbox;
  }

  /** The listing route reports each listing it served to a reader. */
  viewed(listingId: string): void {
    this.d.viewed?.(listingId);
  }

  async create(principal: Principal, raw: ListingInput): Promise<Listing> {
    assertCan(principal.role, 'listing.create');
    if (!principal.actsForProviderId)
      throw forbidden('Staff must be linked to a provider to create listings.');
    const input = normaliseListingInput(raw);
    const now = toDbTime(this.d.clock.now());
    const row: ProviderRow = {
      id: newId(),
      owner_id: principal.actsForProviderId,
      ...listingColumns(input),
      schedule: JSON.stringify(defaultSchedule()),
      photos: '[]',
      documents: '[]',
      status: 'draft',
      suspended_reason: null,
      version: 1,
      created_at: now,
      updated_at: now,
      published_at: null,
    };
    await this.d.db.transaction().execute(async (trx) => {
      await this.d.repo.insert(row, trx);
      await this.event(trx, 'provider.listing.created', row);
    });
    await this.d.listener.listingChanged(row.id);
    return toListing(row, [], true);
  }

  async get(principal: Principal | null, id: string): Promise<Listing> {
    const cached = await this.d.cache.getOrLoad(
      listingCacheKey(id),
      async () => {
        const row = await this.d.repo.byId(id);
        return row ? { row, services: await this.d.repo.services(id) } : null;
      },
      { ttlSeconds: LISTING_CACHE_TTL_SECONDS, tags: [listingCacheTag(id)] },
    );
    if (!cached || !canSee(principal, cached.row)) throw notFound('The listing');
    const { row, services } = cached;
    const manager = canManage(principal, row);
    return toListing(row, manager ? services : services.filter((s) => s.active === 1), manager);
  }

  async list(principal: Principal | null, query: ListingListQuery): Promise<Paged<ListingSummary>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    let filter: { ownerId?: string; status?: ProviderRow['status'] };
    if ((query.scope ?? 'public') === 'public') {
      if (query.status && query.status !== 'published') {
        throw new DomainError('VALIDATION_FAILED', 'The public scope lists published listings only.', {
          errors: [{ path: '/query/status', message: 'must be published (or use scope=mine)' }],
        });
      }
      filter = { status: 'published' };
    } else {
      if (!principal) throw new DomainError('UNAUTHENTICATED', 'Sign in to list your own listings.');
      assertCan(principal.role, 'listing.manage');
      if (principal.role !== 'admin' && !principal.actsForProviderId)
        return { items: [], page, pageSize, total: 0 };
      filter = {
        ...(principal.role === 'admin' ? {} : { ownerId: principal.actsForProviderId as string }),
        ...(query.status ? { status: query.status } : {}),
      };
    }
    const { rows, total } = await this.page(filter, page, pageSize, (query.scope ?? 'public') === 'public');
    return { items: rows.map(toSummary), page, pageSize, total };
  }

  /** Public pages may lag a little and go to the replica when there is one; owners read their writes. */
  private async page(
    filter: Parameters<ProvidersRepository['page']>[0],
    page: number,
    pageSize: number,
    lagTolerant: boolean,
  ) {
    const replica = this.d.replica;
    if (lagTolerant && replica) {
      try {
        return await replica.page(filter, page, pageSize);
      } catch (err) {
        this.d.log?.warn({ err }, 'read replica failed; reading the primary');
      }
    }
    return this.d.repo.page(filter, page, pageSize);
  }

  update(principal: Principal, id: string, expected: number, raw: ListingInput): Promise<Listing> {
    const input = normaliseListingInput(raw);
    return this.change(principal, id, expected, 'provider.listing.updated', () => listingColumns(input));
  }

  publish(principal: Principal, id: string, expected: number): Promise<Listing> {
    return this.change(principal, id, expected, 'provider.listing.published', async (row, services, trx) => {
      if (row.status === 'suspended')
        throw new DomainError('CONFLICT', 'A suspended listing cannot be published.');
      const owner = await trx
        .selectFrom('users')
        .select('verified')
        .where('id', '=', row.owner_id)
        .executeTakeFirst();
      if (owner?.verified !== 1) {
        throw forbidden(
          'Your provider account must be verified by an administrator before listings go live.',
        );
      }
      const missing: string[] = [];
      if (!services.some((s) => s.active === 1)) missing.push('at least one active service');
      const weekly = JSON.parse(row.schedule) as Schedule;
      if (Object.values(weekly.weekly).every((day) => day.length === 0)) missing.push('opening hours');
      if (missing.length > 0) {
        throw new DomainError('CONFLICT', `Add ${missing.join(' and ')} before publishing.`);
      }
      return { status: 'published', published_at: row.published_at ?? toDbTime(this.d.clock.now()) };
    });
  }

  unpublish(principal: Principal, id: string, expected: number): Promise<Listing> {
    return this.change(principal, id, expected, 'provider.listing.unpublished', (row) => {
      if (row.status !== 'published')
        throw new DomainError('CONFLICT', 'Only a published listing can be unpublished.');
      return { status: 'draft' };
    });
  }

  async moderate(principal: Principal, id: string, suspend: boolean, reason: string, meta: RequestMeta) {
    assertCan(principal.role, 'listing.moderate');
    const row = await this.d.repo.byId(id);
    if (!row) throw notFound('The listing');
    return this.change(
      principal,
      id,
      row.version,
      suspend ? 'provider.listing.suspended' : 'provider.listing.unpublished',
      (current) => {
        if (suspend === (current.status === 'suspended')) {
          throw new DomainError(
            'CONFLICT',
            suspend ? 'The listing is already suspended.' : 'The listing is not suspended.',
          );
        }
        return suspend
          ? { status: 'suspended', suspended_reason: reason }
          : { status: 'draft', suspended_reason: null };
      },
      (trx) =>
        this.d.audit.record(
          {
            action: suspend ? 'admin.listing_suspended' : 'admin.listing_unsuspended',
            actor: principal,
            target: { type: 'listing', id },
            details: { reason, previousStatus: row.status },
          },
          meta,
          trx,
        ),
    );
  }

  setSchedule(principal: Principal, id: string, expected: number, schedule: Schedule): Promise<Listing> {
    return this.change(principal, id, expected, 'provider.availability.changed', (row) => {
      checkSchedule(schedule, row.time_zone);
      return { schedule: JSON.stringify(schedule) };
    });
  }

  async listServices(
    principal: Principal | null,
    id: string,
  ): Promise<{ items: Service[]; version: number }> {
    const listing = await this.get(principal, id);
    return { items: listing.services, version: listing.version };
  }

  async addService(
    principal: Principal,
    id: string,
    expected: number,
    input: ServiceInput,
  ): Promise<{ listing: Listing; serviceId: string }> {
    const serviceId = newId();
    const listing = await this.change(
      principal,
      id,
      expected,
      'provider.availability.changed',
      async (_r, _s, trx) => {
        await this.d.repo.insertService(
          {
            id: serviceId,
            provider_id: id,
            created_at: toDbTime(this.d.clock.now()),
            ...this.serviceColumns(input),
          },
          trx,
        );
        return {};
      },
    );
    return { listing, serviceId };
  }

  replaceService(
    principal: Principal,
    id: string,
    serviceId: string,
    expected: number,
    input: ServiceInput,
  ): Promise<Listing> {
    return this.change(
      principal,
      id,
      expected,
      'provider.availability.changed',
      async (_row, _services, trx) => {
        if (!(await this.d.repo.updateService(serviceId, id, this.serviceColumns(input), trx))) {
          throw notFound('The service');
        }
        return {};
      },
    );
  }

  /** Throws 404/403 unless the principal manages the listing; run before expensive uploads. */
  async assertManages(principal: Principal, id: string): Promise<void> {
    assertCan(principal.role, 'listing.manage');
    const row = await this.d.repo.byId(id);
    if (!row || !canManage(principal, row)) {
      if (row && canSee(principal, row)) throw forbidden('You do not manage this listing.');
      throw notFound('The listing');
    }
  }

  addPhoto(principal: Principal, id: string, expected: number, photo: Photo): Promise<Listing> {
    return this.change(principal, id, expected, 'provider.listing.updated', (row) => {
      const photos = (JSON.parse(row.photos) as Photo[]).filter((p) => p.id !== photo.id);
      if (photos.length >= MAX_PHOTOS)
        throw new DomainError('CONFLICT', `A listing holds at most ${MAX_PHOTOS} photos.`);
      return { photos: JSON.stringify([...photos, photo]) };
    });
  }

  removePhoto(principal: Principal, id: string, expected: number, photoId: string): Promise<Listing> {
    return this.change(principal, id, expected, 'provider.listing.updated', (row) => {
      const photos = JSON.parse(row.photos) as Photo[];
      if (!photos.some((p) => p.id === photoId)) throw notFound('The photo');
      return { photos: JSON.stringify(photos.filter((p) => p.id !== photoId)) };
    });
  }

  addDocument(principal: Principal, id: string, expected: number, doc: StoredDocument): Promise<Listing> {
    return this.change(principal, id, expected, 'provider.listing.updated', (row) => {
      const docs = parseDocuments(row).filter((d) => d.id !== doc.id);
      if (docs.length >= MAX_DOCUMENTS)
        throw new DomainError('CONFLICT', `A listing holds at most ${MAX_DOCUMENTS} documents.`);
      return { documents: JSON.stringify([...docs, doc]) };
    });
  }

  /** The stored key of a licence document, for those who manage the listing only (404 otherwise). */
  async documentKey(principal: Principal | null, id: string, documentId: string): Promise<StoredDocument> {
    const row = await this.d.repo.byId(id);
    if (!row || !canManage(principal, row)) throw notFound('The document');
    const doc = parseDocuments(row).find((d) => d.id === documentId);
    if (!doc) throw notFound('The document');
    return doc;
  }

  /**
   * The one write path for an existing listing: check access, apply the change under the
   * optimistic lock, write the outbox event — all in one transaction — then notify listeners.
   */
  private async change(
    principal: Principal,
    id: string,
    expected: number,
    eventType: ProviderEventType,
    apply: (
      row: ProviderRow,
      services: Awaited<ReturnType<ProvidersRepository['services']>>,
      trx: Db,
    ) => Partial<ProvidersTable> | Promise<Partial<ProvidersTable>>,
    extra?: (trx: Db) => Promise<void>,
  ): Promise<Listing> {
    assertCan(principal.role, 'listing.manage');
    const updated = await this.d.db.transaction().execute(async (trx) => {
      const row = await this.d.repo.byId(id, trx);
      if (!row || !canManage(principal, row)) {
        if (row && canSee(principal, row)) throw forbidden('You do not manage this listing.');
        throw notFound('The listing');
      }
      if (row.version !== expected) throw this.conflict(row.version);
      const services = await this.d.repo.services(id, trx);
      const changes = { ...(await apply(row, services, trx)), updated_at: toDbTime(this.d.clock.now()) };
      if (!(await this.d.repo.updateIfVersion(id, expected, changes, trx))) {
        const current = await this.d.repo.byId(id, trx);
        throw this.conflict(current?.version ?? expected + 1);
      }
      const next: ProviderRow = { ...row, ...changes, version: expected + 1 };
      await this.event(trx, eventType, next);
      if (extra) await extra(trx);
      return toListing(next, await this.d.repo.services(id, trx), true);
    });
    await this.d.listener.listingChanged(id);
    return updated;
  }

  private conflict(currentVersion: number): DomainError {
    return new DomainError(
      'VERSION_CONFLICT',
      `The listing was changed elsewhere; it is now at version ${currentVersion}. Reload, review and try again.`,
      { currentVersion },
    );
  }

  private async event(trx: Db, type: ProviderEventType, row: ProviderRow): Promise<void> {
    const payload =
      type === 'provider.availability.changed'
        ? { providerId: row.id, version: row.version }
        : { providerId: row.id, ownerId: row.owner_id, status: row.status, version: row.version };
    await this.appendEvent(trx, {
      type,
      aggregateType: 'provider',
      aggregateId: row.id,
      occurredAt: row.updated_at,
      payload,
    });
  }

  private serviceColumns(input: ServiceInput) {
    return {
      name: input.name.trim(),
      description: input.description?.trim() ?? '',
      duration_minutes: input.durationMinutes,
      price_cents: input.priceCents,
      currency: input.currency,
      visit_type: input.visitType,
      buffer_before_minutes: input.bufferBeforeMinutes,
      buffer_after_minutes: input.bufferAfterMinutes,
      active: input.active === false ? 0 : 1,
    };
  }
}
