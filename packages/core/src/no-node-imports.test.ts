import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// What a browser loads from @robustfair/core must not need Node: no non-test file under src/
// imports a Node built-in (`node:*`, or a bare 'fs', 'path', ...), except under src/node/, the
// `@robustfair/core/node` subpath; and nothing outside src/node/ imports from src/node/.
const sourceDirectory = fileURLToPath(new URL('.', import.meta.url));
const nodeDirectory = path.join(sourceDirectory, 'node');
const distDirectory = fileURLToPath(new URL('../dist/', import.meta.url));
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** Every module specifier a file names: static imports and re-exports, `import()`, `require()`. */
function specifiersOf(text: string): string[] {
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire(?:\.resolve)?\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1] as string));
}

const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtins.has(specifier.split('/')[0] as string);

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

describe('@robustfair/core main entry', () => {
  it('finds the imports it checks (the scanner itself)', () => {
    const text = [
      "import { open } from 'node:fs/promises';",
      "import os from 'os';",
      "export { a } from './node/x.js';",
      "import 'path';",
      "const m = await import('worker_threads');",
      "require.resolve('child_process');",
      "import type { X } from '@robustfair/spec';",
    ].join('\n');
    expect(specifiersOf(text).filter(isBuiltin).sort()).toEqual(['child_process', 'node:fs/promises', 'os', 'path', 'worker_threads']);
    expect(specifiersOf(text)).toContain('./node/x.js');
    expect(isBuiltin('@tensorflow/tfjs-core')).toBe(false);
  });

  it('has no file outside src/node/ that imports a Node built-in or src/node/', () => {
    const offenders: string[] = [];
    const files = sourceFiles(sourceDirectory).filter((file) => !file.startsWith(`${nodeDirectory}${path.sep}`));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      for (const specifier of specifiersOf(readFileSync(file, 'utf8'))) {
        const intoNode = specifier.startsWith('.') && path.resolve(path.dirname(file), specifier).startsWith(`${nodeDirectory}${path.sep}`);
        if (isBuiltin(specifier) || intoNode) offenders.push(`${path.relative(sourceDirectory, file)}: '${specifier}'`);
      }
    }
    expect(offenders).toEqual([]);
  });

  // The bundle too: dist/index.js and the chunks it imports (tsup shares chunks between entries).
  it.skipIf(!existsSync(path.join(distDirectory, 'index.js')))('has no Node built-in in dist/index.js or the chunks it loads', () => {
    const offenders: string[] = [];
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const specifier of specifiersOf(readFileSync(file, 'utf8'))) {
        if (isBuiltin(specifier)) offenders.push(`${path.relative(distDirectory, file)}: '${specifier}'`);
        else if (specifier.startsWith('.')) visit(path.resolve(path.dirname(file), specifier));
      }
    };
    visit(path.join(distDirectory, 'index.js'));
    expect(seen.size).toBeGreaterThan(0);
    expect(offenders).toEqual([]);
  });
});
