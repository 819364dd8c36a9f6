import { builtinModules } from 'node:module';
import path from 'node:path';
import { build, type Message } from 'esbuild';

/** A Node built-in that a browser bundle reached, and the file that imports it. */
export interface NodeImport {
  /** Relative to the repository (or the working directory given). */
  readonly importer: string;
  readonly specifier: string;
}

/** What {@link findNodeImports} bundles. */
export interface BrowserBundleInput {
  /** Module specifiers (`@robustfair/core`) or files; bundled together, as one page would load them. */
  readonly entries: readonly string[];
  /** Where specifiers resolve from (a package that depends on them). */
  readonly resolveDirectory: string;
  /** Paths in the result are relative to it. */
  readonly workingDirectory: string;
}

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtins.has(specifier.split('/')[0] as string);

/**
 * Bundles `entries` for the browser with esbuild (`platform: 'browser'`, workspace packages from
 * their sources through the `@robustfair/source` condition, dependencies as they publish them,
 * `browser` field included) and returns every Node built-in the bundle cannot do without, with
 * the file that imports it. Type-only imports are erased and a dependency's `browser: { fs:
 * false }` mapping is honoured, so only imports a browser would really execute count. Any other
 * bundling error is thrown, naming the file.
 */
export async function findNodeImports(input: BrowserBundleInput): Promise<NodeImport[]> {
  const contents = input.entries.map((entry, index) => `export * as entry${index} from ${JSON.stringify(entry)};`).join('\n');
  const result = await build({
    stdin: { contents, resolveDir: input.resolveDirectory, sourcefile: 'browser-entries.js', loader: 'js' },
    absWorkingDir: input.workingDirectory,
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    conditions: ['@robustfair/source'],
    logLevel: 'silent',
  }).catch((failure: { errors?: Message[] }) => ({ errors: failure.errors ?? [] }));
  const found: NodeImport[] = [];
  const other: string[] = [];
  for (const error of result.errors) {
    const specifier = /^Could not resolve "([^"]+)"/.exec(error.text)?.[1];
    const importer = error.location ? path.normalize(error.location.file) : '(unknown file)';
    if (specifier !== undefined && isBuiltin(specifier)) found.push({ importer, specifier });
    else other.push(`${importer}: ${error.text}`);
  }
  if (other.length > 0) throw new Error(`bundling ${input.entries.join(', ')} for the browser failed:\n${other.join('\n')}`);
  return found;
}
