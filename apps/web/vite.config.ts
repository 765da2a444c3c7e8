import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = process.env.CAREBOOK_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    port: 5173,
    proxy: { '/api': { target: api, ws: true }, '/healthz': api, '/readyz': api },
  },
});
