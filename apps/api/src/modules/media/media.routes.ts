import { IdParams, LicenceDocument, Photo } from '@carebook/contracts';
import type { MultipartFile } from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors';
import { metaOf, principalOf } from '../../http/auth-plugin';
import type { Clock } from '../../ports/clock';
import { etagOf, requireIfMatch } from '../providers/if-match';
import type { ListingMedia } from '../providers/listing-media';
import { PHOTO_MAX_BYTES } from './image-formats';
import type { MediaService } from './media.service';

const binary = { type: 'string', format: 'binary' } as const;
const IfMatch = Type.Object({ 'if-match': Type.Optional(Type.String()) });
const uploadProblems = {
  404: 'No such listing (or not yours)',
  409: 'VERSION_CONFLICT, or the listing is full',
  413: 'Larger than 10 MB or 40 megapixels',
  415: 'Not a JPEG, PNG or WebP (photos) or PDF (documents), judged by content',
  422: 'A truncated or corrupt file',
  428: 'If-Match is missing',
};
const multipartBody = {
  description: 'multipart/form-data with one file part named "file"',
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object',
        properties: { file: { type: 'string', format: 'binary' } },
        required: ['file'],
      },
    },
  },
};

/** Reads the single uploaded file completely, refusing more than the limit (never truncating). */
async function readUpload(request: FastifyRequest): Promise<{ buffer: Buffer; filename: string }> {
  if (!request.isMultipart()) {
    throw new DomainError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Upload the file as multipart/form-data in a part named "file".',
    );
  }
  let file: MultipartFile | undefined;
  try {
    file = await request.file({ limits: { fileSize: PHOTO_MAX_BYTES, files: 1, fields: 0, parts: 1 } });
    if (!file)
      throw new DomainError('VALIDATION_FAILED', 'No file was uploaded.', {
        errors: [{ path: '/body/file', message: 'is required' }],
      });
    const buffer = await file.toBuffer();
    return { buffer, filename: file.filename };
  } catch (err) {
    if (err instanceof DomainError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      throw new DomainError('PAYLOAD_TOO_LARGE', 'The file is larger than 10 MB.');
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      throw new DomainError('VALIDATION_FAILED', 'Send exactly one file part named "file" and nothing else.');
    }
    throw new DomainError('VALIDATION_FAILED', 'The multipart body could not be read.');
  }
}

export function mediaRoutes(
  app: FastifyInstance,
  listings: ListingMedia,
  media: MediaService,
  clock: Clock,
  /** The blob store's public origin or a CDN in front of it (PUBLIC_MEDIA_URL); '' = stream here. */
  publicMediaUrl = '',
): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['media'];

  r.post(
    '/api/v1/providers/:id/photos',
    {
      schema: {
        tags,
        summary:
          'Upload a photo (JPEG, PNG or WebP ≤ 10 MB, ≤ 40 MP); stored as thumbnail, card and full variants',
        params: IdParams,
        headers: IfMatch,
        consumes: ['multipart/form-data'],
        response: { 201: Type.Object({ photo: Photo, version: Type.Integer() }) },
      },
      config: { docs: { auth: 'required', problems: uploadProblems, body: multipartBody } },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const version = requireIfMatch(request.headers['if-match']);
      await listings.assertManages(principal, request.params.id);
      const { buffer } = await readUpload(request);
      const photo = await media.uploadPhoto(buffer);
      const listing = await listings.addPhoto(principal, request.params.id, version, photo);
      reply.code(201).header('etag', etagOf(listing.version));
      return { photo, version: listing.version };
    },
  );

  r.delete(
    '/api/v1/providers/:id/photos/:photoId',
    {
      schema: {
        tags,
        summary: 'Remove a photo from the listing',
        params: Type.Object({
          id: IdParams.properties.id,
          photoId: Type.String({ pattern: '^[0-9a-f]{32}$' }),
        }),
        headers: IfMatch,
        response: { 200: Type.Object({ version: Type.Integer() }) },
      },
      config: {
        docs: {
          auth: 'required',
          problems: { 404: 'No such listing or photo', 409: 'VERSION_CONFLICT', 428: 'If-Match is missing' },
        },
      },
    },
    async (request, reply) => {
      const listing = await listings.removePhoto(
        principalOf(request),
        request.params.id,
        requireIfMatch(request.headers['if-match']),
        request.params.photoId,
      );
      reply.header('etag', etagOf(listing.version));
      return { version: listing.version };
    },
  );

  r.post(
    '/api/v1/providers/:id/documents',
    {
      schema: {
        tags,
        summary: 'Upload a licence document (PDF ≤ 10 MB); private to the owner, staff and admins',
        params: IdParams,
        headers: IfMatch,
        consumes: ['multipart/form-data'],
        response: { 201: Type.Object({ document: LicenceDocument, version: Type.Integer() }) },
      },
      config: { docs: { auth: 'required', problems: uploadProblems, body: multipartBody } },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const version = requireIfMatch(request.headers['if-match']);
      await listings.assertManages(principal, request.params.id);
      const { buffer, filename } = await readUpload(request);
      const ref = await media.uploadDocument(buffer);
      const document = {
        id: ref.id.slice(0, 32),
        name: filename.replace(/[^\w .()-]/g, '_').slice(0, 120) || 'document.pdf',
        bytes: ref.size,
        uploadedAt: clock.now().toISOString(),
      };
      const listing = await listings.addDocument(principal, request.params.id, version, {
        ...document,
        key: ref.key,
      });
      reply.code(201).header('etag', etagOf(listing.version));
      return { document, version: listing.version };
    },
  );

  r.get(
    '/api/v1/providers/:id/documents/:documentId',
    {
      schema: {
        tags,
        summary: 'Download a licence document (owner, staff and admins only)',
        params: Type.Object({
          id: IdParams.properties.id,
          documentId: Type.String({ pattern: '^[0-9a-f]{32}$' }),
        }),
        response: {
          200: {
            description: 'The PDF',
            content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
          },
        },
      },
      config: { docs: { auth: 'optional', problems: { 404: 'No such document, or not yours to see' } } },
    },
    async (request, reply) => {
      const doc = await listings.documentKey(request.principal, request.params.id, request.params.documentId);
      const { principal } = request;
      const access = principal
        ? {
            actor: principal,
            meta: metaOf(request),
            providerId: request.params.id,
            documentId: request.params.documentId,
          }
        : undefined;
      const blob = await media.readDocument(doc.key, access);
      if (!blob) throw new DomainError('NOT_FOUND', 'The document does not exist.');
      return reply
        .header('content-type', 'application/pdf')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `attachment; filename="${doc.name.replace(/"/g, '')}"`)
        .send(blob.body);
    },
  );

  app.get(
    '/media/photos/:photoId/:file',
    {
      schema: {
        tags,
        summary: 'A photo variant; immutable, so a CDN can cache it for a year',
        params: Type.Object({
          photoId: Type.String({ pattern: '^[0-9a-f]{32}$' }),
          file: Type.String({ pattern: '^(thumbnail|card|full)\\.(webp|jpg)$' }),
        }),
        response: {
          200: {
            description: 'The image',
            content: { 'image/webp': { schema: binary }, 'image/jpeg': { schema: binary } },
          },
        },
      },
    },
    async (request, reply) => {
      const { photoId, file } = request.params as { photoId: string; file: string };
      // Behind a CDN: send the browser to the public origin, which serves the same object with the
      // same immutable Cache-Control; the redirect itself is cacheable for as long (keys never change).
      if (publicMediaUrl)
        return reply
          .header('cache-control', 'public, max-age=31536000, immutable')
          .redirect(`${publicMediaUrl}/media/photos/${photoId}/${file}`, 301);
      const blob = await media.readPublic(`media/photos/${photoId}/${file}`);
      if (!blob) throw new DomainError('NOT_FOUND', 'No such photo.');
      return reply
        .header('content-type', blob.contentType)
        .header('cache-control', blob.cacheControl ?? 'public, max-age=31536000, immutable')
        .send(blob.body);
    },
  );
}
