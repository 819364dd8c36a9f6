import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';

const require = createRequire(import.meta.url);

const packages = ['spec', 'core', 'backend-wasm', 'attacks', 'distillers', 'fairness-strategies', 'metrics', 'datasets', 'models', 'runner'];

function versionOf(name: string, from: NodeJS.Require = require, missing = 'unknown'): string {
  try {
    const file = from.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return missing;
  }
}

let commit: string | null | undefined;

/**
 * The git commit the running code comes from, when it runs from a checkout (`<sha>`, or
 * `<sha>-dirty` when files under packages/ differ from it); null for an installed package.
 * Looked up once per process.
 */
export function codeCommit(): string | null {
  if (commit !== undefined) return commit;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  try {
    const head = git('rev-parse', 'HEAD');
    const top = git('rev-parse', '--show-toplevel');
    const dirty = git('-C', top, 'status', '--porcelain', '--untracked-files=no', '--', 'packages') !== '';
    commit = dirty ? `${head}-dirty` : head;
  } catch {
    commit = null;
  }
  return commit;
}

/** Versions results record: every @robustfair package, TF.js, the active backend, Node and the code's commit. */
export function collectVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of packages) versions[`@robustfair/${name}`] = versionOf(`@robustfair/${name}`);
  versions['@tensorflow/tfjs-core'] = tf.version_core;
  versions['backend'] = tf.getBackend() ?? 'none';
  versions['node'] = process.version;
  const code = codeCommit();
  if (code !== null) versions['commit'] = code;
  return versions;
}

/** Versions `robustfair info` prints: Node, every @robustfair package, every TF.js package. */
export interface PackageVersions {
  readonly node: string;
  /** `@robustfair/<name>` → version ('unknown' when it cannot be resolved from the runner). */
  readonly robustfair: Readonly<Record<string, string>>;
  /** TF.js packages as the backend packages resolve them; optional native bindings say 'not installed'. */
  readonly tensorflow: Readonly<Record<string, string>>;
}

/** Resolves from where `packageName` loads its own dependencies; from the runner when it cannot be found. */
function requireFrom(packageName: string): NodeJS.Require {
  try {
    return createRequire(require.resolve(`${packageName}/package.json`));
  } catch {
    return require;
  }
}

/**
 * Node, the @robustfair packages and the TF.js packages in use. Each backend is looked up where
 * the package that loads it loads it from (cpu and the native bindings: @robustfair/core; wasm:
 * @robustfair/backend-wasm); tfjs-core is the loaded engine's own version. Nothing is imported,
 * so no backend gets registered.
 */
export function collectPackageVersions(): PackageVersions {
  const robustfair: Record<string, string> = {};
  for (const name of packages) robustfair[`@robustfair/${name}`] = versionOf(`@robustfair/${name}`);
  const fromCore = requireFrom('@robustfair/core');
  const tensorflow: Record<string, string> = { '@tensorflow/tfjs-core': tf.version_core };
  tensorflow['@tensorflow/tfjs-backend-cpu'] = versionOf('@tensorflow/tfjs-backend-cpu', fromCore);
  tensorflow['@tensorflow/tfjs-backend-wasm'] = versionOf('@tensorflow/tfjs-backend-wasm', requireFrom('@robustfair/backend-wasm'));
  for (const name of ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']) tensorflow[name] = versionOf(name, fromCore, 'not installed');
  return { node: process.version, robustfair, tensorflow };
}
