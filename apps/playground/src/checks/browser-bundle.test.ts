import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { browserReadyEntries } from './browser-ready-packages.js';
import { findNodeImports } from './find-node-imports.js';

// Acceptance 2 of issue 18: the browser-ready packages bundle for the browser (esbuild,
// platform 'browser') without a Node built-in, and the check fails, naming the importing file,
// when one is reached.

const appDirectory = fileURLToPath(new URL('../..', import.meta.url));
const repository = path.resolve(appDirectory, '../..');
const check = (entries: readonly string[]) => findNodeImports({ entries, resolveDirectory: appDirectory, workingDirectory: repository });

describe('browser bundle of the browser-ready packages', () => {
  it('reaches no Node built-in from spec, core, attacks, metrics, models, datasets and report/plots', async () => {
    expect(await check(browserReadyEntries)).toEqual([]);
  }, 120_000);

  it('fails on a Node import injected into a module the bundle loads, naming the file', async () => {
    const directory = await mkdtemp(path.join(appDirectory, '.injected-'));
    try {
      await writeFile(path.join(directory, 'reads-a-file.ts'), "import { readFileSync } from 'node:fs';\nimport path from 'path';\nexport const read = (file: string) => readFileSync(path.join('.', file));\n");
      await writeFile(path.join(directory, 'entry.ts'), "export * from '@robustfair/spec';\nexport { read } from './reads-a-file.js';\n");
      const importer = path.relative(repository, path.join(directory, 'reads-a-file.ts'));
      expect(await check([path.join(directory, 'entry.ts')])).toEqual([
        { importer, specifier: 'node:fs' },
        { importer, specifier: 'path' },
      ]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 120_000);

  it('fails on the Node-only subpaths, naming the package file that imports the built-in', async () => {
    const found = await check(['@robustfair/attacks/node']);
    expect(found).toContainEqual({ importer: path.join('packages', 'core', 'src', 'node', 'write-file-atomic.ts'), specifier: 'node:fs/promises' });
  }, 120_000);
});
