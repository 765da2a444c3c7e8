import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { initialJsSize } from './build/bundle-size';
import { precompress } from './build/precompress';

const api = process.env.CAREBOOK_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [react(), initialJsSize({ budgetKiB: 250 }), precompress()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    port: 5173,
    proxy: { '/api': { target: api, ws: true }, '/media': api, '/healthz': api, '/readyz': api },
  },
});
