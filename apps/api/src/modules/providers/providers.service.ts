import type { Listing, ListingInput, ListingListQuery, ListingSummary, Schedule } from '@carebook/contracts';
import type { FastifyBaseLogger } from 'fastify';
import { DomainError, forbidden, notFound } from '../../domain/errors';
import { newId } from '../../lib/ids';
import type { Paged } from '../../lib/paginate';
import type { Principal, RequestMeta } from '../../lib/request-meta';
import type { Cache } from '../../ports/cache';
import { type Clock, toDbTime } from '../../ports/clock';
import type { UsersRepository } from '../accounts/users.repository';
import type { AuditService } from '../audit/audit.service';
import { assertCan, assertEmailVerified } from '../auth/permissions';
import { canManage, canSee } from './listing-access';
import {
  LISTING_CACHE_TTL_SECONDS,
  listingCacheKey,
  listingCacheTag,
  publicListingKey,
  type RenderedListing,
  renderedListing,
} from './listing-cache';
import type { ListingChanges } from './listing-changes';
import { checkSchedule, defaultSchedule, normaliseListingInput } from './listing-input';
import { listingJson } from './listing-json';
import { listingColumns, type ProviderRow, toListing, toSummary } from './listing-mapper';
import type { ProvidersRepository } from './providers.repository';

export interface ProvidersServiceDeps {
  repo: ProvidersRepository;
  /** The same queries on a read replica, for public listing pages (falls back to `repo` on error). */
  replica?: ProvidersRepository;
  /** Owners' accounts: a listing goes live only when its owner is verified. */
  accounts: Pick<UsersRepository, 'byId'>;
  changes: ListingChanges;
  log?: Pick<FastifyBaseLogger, 'warn'>;
  audit: AuditService;
  clock: Clock;
  cache: Cache;
  /** Told of every listing the API served to a reader (popularity for cache warming). */
  viewed?: (listingId: string) => void;
}

/** Listings: creation, reads (cached, replica-aware), edits, publishing, moderation, opening hours. */
export class ProvidersService {
  constructor(private readonly d: ProvidersServiceDeps) {}

  /** The listing route reports each listing it served to a reader. */
  viewed(listingId: string): void {
    this.d.viewed?.(listingId);
  }

  create(principal: Principal, raw: ListingInput): Promise<Listing> {
    assertCan(principal.role, 'listing.create');
    assertEmailVerified(principal);
    if (!principal.actsForProviderId)
      throw forbidden('Staff must be linked to a provider to create listings.');
    const input = normaliseListingInput(raw);
    const now = toDbTime(this.d.clock.now());
    return this.d.changes.create({
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
    });
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

  /**
   * What an anonymous reader gets for a listing, as its response body (serialised as the route's
   * response schema says, listing-json.ts) and version, cached as that text under the listing's
   * tag: a repeated read neither parses, maps nor serialises. The cache warmer fills it too. A
   * listing they may not see (draft, suspended, missing): NOT_FOUND.
   */
  async publicView(id: string): Promise<RenderedListing> {
    const text = await this.d.cache.getOrLoadJson(
      publicListingKey(id),
      async () => {
        const listing = await this.get(null, id);
        return `{"version":${listing.version},"body":${listingJson(listing)}}`;
      },
      { ttlSeconds: LISTING_CACHE_TTL_SECONDS, tags: [listingCacheTag(id)] },
    );
    return renderedListing(text as string);
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
    return this.d.changes.apply(principal, id, expected, 'provider.listing.updated', () =>
      listingColumns(input),
    );
  }

  publish(principal: Principal, id: string, expected: number): Promise<Listing> {
    return this.d.changes.apply(
      principal,
      id,
      expected,
      'provider.listing.published',
      async (row, services, trx) => {
        if (row.status === 'suspended')
          throw new DomainError('CONFLICT', 'A suspended listing cannot be published.');
        const owner = await this.d.accounts.byId(row.owner_id, trx);
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
      },
    );
  }

  unpublish(principal: Principal, id: string, expected: number): Promise<Listing> {
    return this.d.changes.apply(principal, id, expected, 'provider.listing.unpublished', (row) => {
      if (row.status !== 'published')
        throw new DomainError('CONFLICT', 'Only a published listing can be unpublished.');
      return { status: 'draft' };
    });
  }

  async moderate(principal: Principal, id: string, suspend: boolean, reason: string, meta: RequestMeta) {
    assertCan(principal.role, 'listing.moderate');
    const row = await this.d.repo.byId(id);
    if (!row) throw notFound('The listing');
    return this.d.changes.apply(
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
    return this.d.changes.apply(principal, id, expected, 'provider.availability.changed', (row) => {
      checkSchedule(schedule, row.time_zone);
      return { schedule: JSON.stringify(schedule) };
    });
  }
}
