import { defineConfig } from 'vitest/config';

/** One root command (`pnpm test`) runs every package (and app) as its own project. */
export default defineConfig({
  test: {
    // backend-wasm's parity suite runs a second time on the plain-SIMD build of its kernels.
    projects: ['packages/*', 'apps/*', 'packages/backend-wasm/vitest.plain-simd.config.ts'],
  },
});
