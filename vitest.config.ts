import { defineConfig } from 'vitest/config';

/** One root command (`pnpm test`) runs every package (and app) as its own project. */
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
