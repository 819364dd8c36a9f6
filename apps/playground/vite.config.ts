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
  // Dev server: scan the worker too and pre-bundle what is imported on demand, so the first run
  // does not discover new dependencies and reload the page mid-evaluation.
  optimizeDeps: {
    entries: ['index.html', 'src/evaluation/evaluation-worker.ts'],
    include: ['@tensorflow/tfjs-core/dist/register_all_gradients', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-webgl', '@tensorflow/tfjs-backend-wasm'],
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096, reportCompressedSize: false },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
