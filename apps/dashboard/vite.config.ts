import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { initialSizeBudget } from './vite-initial-size.ts';
import { noInlineScript } from './vite-no-inline-script.ts';

/*
 * The SPA is built into dist/ and served by the server at / (the API lives under /api on the same
 * origin, so cookies and the CSRF check need no CORS). In `vite dev`, /api is proxied to a running
 * server (npm start) on the default PORT.
 */
export default defineConfig({
  // Issue 7 §6: a first visit downloads at most 250 KB of gzipped JavaScript.
  // The server's CSP allows no inline script: the build refuses an index.html that has one.
  plugins: [react(), initialSizeBudget(250), noInlineScript()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
