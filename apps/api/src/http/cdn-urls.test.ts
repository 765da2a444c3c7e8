import { expect, it } from 'vitest';
import { describeAppEachDialect } from '../../test/support/app';

/**
 * Static content behind a CDN: public photos are answered with a redirect to the blob store's
 * public origin (same immutable caching) instead of being streamed through the API, and the
 * Content-Security-Policy lets the web app load its assets from PUBLIC_ASSETS_URL.
 */
describeAppEachDialect(
  'CDN URLs',
  (t) => {
    it('redirects public photo URLs to PUBLIC_MEDIA_URL with immutable caching', async () => {
      const id = 'a'.repeat(32);
      const res = await t().app.inject({ url: `/media/photos/${id}/card.webp` });
      expect(res.statusCode).toBe(301);
      expect(res.headers.location).toBe(`https://media.example.test/media/photos/${id}/card.webp`);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    });

    it('allows scripts and styles from the assets CDN origin in the Content-Security-Policy', async () => {
      const res = await t().app.inject({ url: '/healthz' });
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toMatch(/script-src 'self'[^;]* https:\/\/static\.example\.test/);
      expect(csp).toMatch(/style-src [^;]*https:\/\/static\.example\.test/);
    });
  },
  { PUBLIC_MEDIA_URL: 'https://media.example.test/', PUBLIC_ASSETS_URL: 'https://static.example.test/app' },
);
