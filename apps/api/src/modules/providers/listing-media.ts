import type { Listing, Photo } from '@carebook/contracts';
import { DomainError, notFound } from '../../domain/errors';
import type { Principal } from '../../lib/request-meta';
import { canManage } from './listing-access';
import type { ListingChanges } from './listing-changes';
import { parseDocuments, type StoredDocument } from './listing-mapper';
import type { ProvidersRepository } from './providers.repository';

const MAX_PHOTOS = 20;
const MAX_DOCUMENTS = 20;

/** A listing's photos and licence documents (the blobs themselves are the media module's). */
export class ListingMedia {
  constructor(private readonly d: { repo: ProvidersRepository; changes: ListingChanges }) {}

  /** Throws 404/403 unless the principal manages the listing; run before expensive uploads. */
  async assertManages(principal: Principal, id: string): Promise<void> {
    await this.d.changes.managed(principal, id);
  }

  addPhoto(principal: Principal, id: string, expected: number, photo: Photo): Promise<Listing> {
    return this.d.changes.apply(principal, id, expected, 'provider.listing.updated', (row) => {
      const photos = (JSON.parse(row.photos) as Photo[]).filter((p) => p.id !== photo.id);
      if (photos.length >= MAX_PHOTOS)
        throw new DomainError('CONFLICT', `A listing holds at most ${MAX_PHOTOS} photos.`);
      return { photos: JSON.stringify([...photos, photo]) };
    });
  }

  removePhoto(principal: Principal, id: string, expected: number, photoId: string): Promise<Listing> {
    return this.d.changes.apply(principal, id, expected, 'provider.listing.updated', (row) => {
      const photos = JSON.parse(row.photos) as Photo[];
      if (!photos.some((p) => p.id === photoId)) throw notFound('The photo');
      return { photos: JSON.stringify(photos.filter((p) => p.id !== photoId)) };
    });
  }

  addDocument(principal: Principal, id: string, expected: number, doc: StoredDocument): Promise<Listing> {
    return this.d.changes.apply(principal, id, expected, 'provider.listing.updated', (row) => {
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
}
