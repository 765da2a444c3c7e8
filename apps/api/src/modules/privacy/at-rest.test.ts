import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Listing } from '@carebook/contracts';
import { beforeAll, expect, it } from 'vitest';
import { describeAppEachDialect, TestClock, testConfig } from '../../../test/support/app';
import { bearer } from '../../../test/support/http';
import { minimalPdf } from '../../../test/support/media';
import { type Cast, castOf, listingInput } from '../../../test/support/providers';
import { buildApp } from '../../app';
import { ENCRYPTION_KEYS_FILE } from './keyring';

describeAppEachDialect('data at rest', (t) => {
  let cast: Cast;
  let listing: Listing;
  beforeAll(async () => {
    cast = await castOf(t());
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/v1/providers',
      headers: bearer(cast.owner.tokens.accessToken),
      payload: listingInput(),
    });
    listing = res.json() as Listing;
  });

  it('licence documents: the blob files hold no plaintext; downloads decrypt and are audited', async () => {
    const marker = `Licence-No-${randomBytes(6).toString('hex')}`;
    const pdf = minimalPdf(marker);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(pdf)]), 'licence.pdf');
    const up = await t().app.inject({
      method: 'POST',
      url: `/api/v1/providers/${listing.id}/documents`,
      headers: { ...bearer(cast.owner.tokens.accessToken), 'if-match': `"${listing.version}"` },
      body: form,
    });
    expect(up.statusCode, up.body).toBe(201);
    const blobs = t().config.blobs;
    if (blobs.kind !== 'local') throw new Error('expected the local blob store');
    const files = readdirSync(blobs.root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const raw = readFileSync(file);
      expect(raw.includes(Buffer.from(marker)), file).toBe(false);
      expect(raw.includes(Buffer.from('%PDF-')), file).toBe(false);
    }

    const { document } = up.json() as { document: { id: string } };
    const res = await t().app.inject({
      url: `/api/v1/providers/${listing.id}/documents/${document.id}`,
      headers: bearer(cast.admin.tokens.accessToken),
    });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(pdf)).toBe(true);
    const audit = await t().app.inject({
      url: '/api/v1/admin/audit-events?action=access.document_downloaded',
      headers: bearer(cast.admin.tokens.accessToken),
    });
    expect(audit.json().items[0]).toMatchObject({
      actorId: cast.admin.user.id,
      targetType: 'licence_document',
      targetId: `${listing.id}/${document.id}`,
      purpose: 'credential_review',
    });
  });

  it('the generated key file is owner-only; start-up refuses a wrong or missing key with a clear message', async () => {
    const keyFile = join(t().config.dataDir, ENCRYPTION_KEYS_FILE);
    expect(existsSync(keyFile)).toBe(true);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const [stored] = JSON.parse(readFileSync(keyFile, 'utf8')) as { kid: string }[];
    const kid = stored?.kid as string;

    const wrong = testConfig({ ENCRYPTION_KEYS: `${kid}:${randomBytes(32).toString('base64')}` });
    const a = await buildApp(wrong, { dbs: t().db.dbs, clock: new TestClock() });
    await expect(a.app.ready()).rejects.toThrow(`key "${kid}" is not the key this database knows`);
    await a.app.close().catch(() => undefined);

    // A fresh DATA_DIR generates a new key; the data keys are wrapped under the old one.
    const b = await buildApp(testConfig(), { dbs: t().db.dbs, clock: new TestClock() });
    await expect(b.app.ready()).rejects.toThrow(`ENCRYPTION_KEYS is missing "${kid}"`);
    await b.app.close().catch(() => undefined);
  });
});
