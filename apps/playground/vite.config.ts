import { defineConfig } from 'vite';

/**
 * The playground is static files: `vite build` writes index.html and hashed assets (the TF.js
 * wasm binaries included) with relative URLs, so the folder can be hosted under any path.
 * Workspace packages are bundled from their sources (`@robustfair/source`), so no package
 * build is needed first and the page always runs the code of this checkout.
 */
export default defineConfig({
  base: './',
  resolve: { conditions: ['@robustfair/source', 'browser', 'module', 'import', 'default'] },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096, reportCompressedSize: false },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
