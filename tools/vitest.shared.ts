import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const setupFile = fileURLToPath(new URL('./vitest.setup.ts', import.meta.url));

/**
 * Shared per-package vitest project. Sources are resolved through the `@robustfair/source`
 * export condition, so tests run against src/ without a build. Forks, 2 workers: CI has 2 cores.
 * A package may add a second project over some of its files with other environment variables
 * (listed in the root vitest.config.ts).
 */
export function robustfairProject(name: string, options: { include?: string[]; env?: Record<string, string> } = {}) {
  return defineProject({
    // Vite 6+ resolves test imports through the SSR resolver, so the condition goes there too.
    resolve: { conditions: ['@robustfair/source'] },
    ssr: { resolve: { conditions: ['@robustfair/source'] } },
    test: {
      name,
      include: options.include ?? ['src/**/*.test.ts'],
      ...(options.env ? { env: options.env } : {}),
      setupFiles: [setupFile],
      pool: 'forks',
      poolOptions: { forks: { maxForks: 2, minForks: 1 } },
      testTimeout: 120_000,
      hookTimeout: 120_000,
    },
  });
}
