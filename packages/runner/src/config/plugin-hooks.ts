// Node module hooks for outside plugins (a build entry, `dist/plugin-hooks.js`, registered with
// `module.register` by registerPluginHooks before the first outside plugin is imported; never
// imported as a module of the runner). They run on Node's hooks thread.
//
// - resolve: a plugin's `@robustfair/*`, `zod` and `@tensorflow/tfjs-core` imports resolve as usual first (the plugin's own
//   node_modules win); when that fails, they resolve from the installation that runs robustfair
//   (`data.bases`: the runner's and the CLI's files), so a plugin file needs no package.json.
// - load: `.ts` and `.mts` files are compiled by esbuild's per-file transform (types
//   stripped, enums and namespaces compiled; no type checking) and loaded as ES modules.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

/** What registerPluginHooks hands the hooks: files whose resolution a plugin may borrow. */
export interface PluginHooksData {
  readonly bases: readonly string[];
}

interface ResolveContext {
  readonly parentURL?: string;
  readonly conditions?: readonly string[];
  readonly importAttributes?: Record<string, string>;
}
interface ResolveResult {
  readonly url: string;
  readonly format?: string | null;
  readonly shortCircuit?: boolean;
}
interface LoadResult {
  readonly format: string;
  readonly source?: string | ArrayBuffer | Uint8Array;
  readonly shortCircuit?: boolean;
}

let bases: readonly string[] = [];

export function initialize(data: PluginHooksData | undefined): void {
  bases = data?.bases ?? [];
}

/**
 * Specifiers a plugin may take from robustfair's own installation: its packages, zod (options
 * schemas) and TF.js core (an attack's tensors must come from robustfair's own engine).
 */
export const isSharedSpecifier = (specifier: string): boolean =>
  specifier.startsWith('@robustfair/') || specifier === 'zod' || specifier.startsWith('zod/') || specifier === '@tensorflow/tfjs-core';

export async function resolve(
  specifier: string,
  context: ResolveContext,
  nextResolve: (specifier: string, context?: ResolveContext) => Promise<ResolveResult>,
): Promise<ResolveResult> {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (!isSharedSpecifier(specifier) || (error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    for (const base of bases) {
      try {
        return await nextResolve(specifier, { ...context, parentURL: base });
      } catch {
        // try the next installation
      }
    }
    throw error;
  }
}

const typeScriptFile = /\.m?ts$/;

export async function load(
  url: string,
  context: { readonly format?: string | null },
  nextLoad: (url: string, context?: unknown) => Promise<LoadResult>,
): Promise<LoadResult> {
  if (!url.startsWith('file:') || !typeScriptFile.test(new URL(url).pathname)) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const source = await readFile(file, 'utf8');
  const result = await transform(source, { loader: 'ts', format: 'esm', target: 'node20', sourcefile: file, sourcemap: 'inline' });
  return { format: 'module', source: result.code, shortCircuit: true };
}
