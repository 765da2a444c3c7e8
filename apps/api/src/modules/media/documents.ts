import { createHash } from 'node:crypto';
import { DomainError } from '../../domain/errors';
import type { BlobPutOptions } from '../../ports/blob-store';
import { binaryKid } from '../privacy/aead';

export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;

export interface DocumentRef {
  /** SHA-256 of the bytes, hex. */
  id: string;
  key: string;
  contentType: 'application/pdf';
  size: number;
}

/** How a sealed document is stored: private, never cached. */
export const DOCUMENT_BLOB_OPTIONS: BlobPutOptions = {
  contentType: 'application/pdf',
  cacheControl: 'private, no-store',
  visibility: 'private',
};

/** True when stored bytes are an encryption envelope (documents are sealed at rest). */
export const isSealedDocument = (stored: Buffer): boolean => binaryKid(stored) !== null;

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');
const PDF_EOF = Buffer.from('%%EOF', 'latin1');
/** Readers accept `%%EOF` anywhere in the last 1024 bytes; beyond that the file is cut short. */
const EOF_WINDOW = 1024;

/**
 * Validates a licence document: a PDF by its bytes (never by the declared type), at most 10 MB,
 * and complete (an upload cut short has no `%%EOF` at its end). Documents are stored private and
 * encrypted (media.service.ts), under a key derived from their content.
 */
export function checkDocument(input: Buffer): DocumentRef {
  if (input.length > DOCUMENT_MAX_BYTES) {
    throw new DomainError('PAYLOAD_TOO_LARGE', 'A document may be at most 10 MB.');
  }
  if (!input.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'A licence document must be a PDF.');
  }
  if (!input.subarray(-EOF_WINDOW).includes(PDF_EOF)) {
    throw new DomainError('UNPROCESSABLE', 'The PDF is truncated: it has no end-of-file marker.');
  }
  const id = createHash('sha256').update(input).digest('hex');
  return { id, key: `media/documents/${id}.pdf`, contentType: 'application/pdf', size: input.length };
}
