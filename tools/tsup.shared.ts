import { defineConfig, type Options } from 'tsup';

/**
 * One place that says how a library package is bundled: ESM only, .d.ts, no bundling of
 * dependencies. Swapping the bundler (tsdown once Node >= 22.18 is the floor) happens here.
 */
export function defineLibraryConfig(entry: Record<string, string>, extra: Partial<Options> = {}) {
  return defineConfig({
    entry,
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: { compilerOptions: { customConditions: [] } },
    sourcemap: true,
    clean: true,
    splitting: true,
    treeshake: true,
    ...extra,
  });
}
