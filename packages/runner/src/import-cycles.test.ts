import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Issue 15: no package's sources import each other in a circle (type imports included: a cycle
// of types is still two modules that cannot be understood or moved apart). A depth-first search
// over the relative imports of every package's src/, tests aside.
const packagesDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const full = path.join(directory, entry);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.m?ts$/.test(full) && !/\.test(-d)?\.ts$/.test(full) && !full.endsWith('.d.ts') ? [full] : [];
  });
}

/** Relative specifiers of `import … from`, `export … from` and `import('…')`, resolved to source files. */
export function relativeImports(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)].map((match) => match[1] as string);
  return specifiers.map((specifier) => path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts'));
}

/** Every cycle found by a depth-first search, each as the files around it (the first repeated at the end). */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (state.get(next) === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (state.get(node) === undefined) visit(node);
  return cycles;
}

describe(findCycles, () => {
  it('finds a cycle of three and none in a diamond', () => {
    const cyclic = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
    ]);
    expect(findCycles(cyclic)).toEqual([['a', 'b', 'c', 'a']]);
    const diamond = new Map([
      ['a', ['b', 'c']],
      ['b', ['d']],
      ['c', ['d']],
      ['d', []],
    ]);
    expect(findCycles(diamond)).toEqual([]);
  });

  it('reads static, re-export, type-only and dynamic relative imports', () => {
    const text = "import { x } from './x.js';\nexport { y } from '../y.js';\nimport type { Z } from './z.js';\nconst w = await import('./w.js');\nimport 'node:fs';\nimport './side.js';";
    expect(relativeImports('/p/src/a/f.ts', text)).toEqual(['/p/src/a/x.ts', '/p/src/y.ts', '/p/src/a/z.ts', '/p/src/a/w.ts', '/p/src/a/side.ts']);
  });
});

describe('import cycles', () => {
  const packages = readdirSync(packagesDirectory).filter((name) => {
    try {
      return statSync(path.join(packagesDirectory, name, 'src')).isDirectory();
    } catch {
      return false;
    }
  });

  it('checks every package', () => {
    expect(packages.length).toBeGreaterThanOrEqual(10);
  });

  for (const name of packages) {
    it(`none inside ${name}/src`, () => {
      const source = path.join(packagesDirectory, name, 'src');
      const graph = new Map(sourceFiles(source).map((file) => [file, relativeImports(file, readFileSync(file, 'utf8'))]));
      const cycles = findCycles(graph).map((cycle) => cycle.map((file) => path.relative(source, file)).join(' → '));
      expect(cycles).toEqual([]);
    });
  }
});
