import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const workspace = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

// Served under /console/ on the gateway's origin (npm start) or Caddy's (compose): the APIs are
// same-origin, so no CORS and no API URL to configure.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [react()],
  resolve: {
    alias: { '@directory/client': workspace('libs/client/src/index.ts') },
  },
  build: {
    outDir: workspace('dist/apps/admin-console'),
    emptyOutDir: true,
    // Vite's own size report is noise in nx output; the e2e suite measures what a browser loads.
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
