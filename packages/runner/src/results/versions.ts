import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';

const require = createRequire(import.meta.url);

const packages = ['spec', 'core', 'attacks', 'distillers', 'fairness-strategies', 'metrics', 'datasets', 'models', 'runner'];

function versionOf(name: string, from: NodeJS.Require = require, missing = 'unknown'): string {
  try {
    const file = from.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return missing;
  }
}

/** Versions results record: every @robustfair package, TF.js, the active backend and Node. */
export function collectVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of packages) versions[`@robustfair/${name}`] = versionOf(`@robustfair/${name}`);
  versions['@tensorflow/tfjs-core'] = tf.version_core;
  versions['backend'] = tf.getBackend() ?? 'none';
  versions['node'] = process.version;
  return versions;
}

/** Versions `robustfair info` prints: Node, every @robustfair package, every TF.js package. */
export interface PackageVersions {
  readonly node: string;
  /** `@robustfair/<name>` → version ('unknown' when it cannot be resolved from the runner). */
  readonly robustfair: Readonly<Record<string, string>>;
  /** TF.js packages as @robustfair/core resolves them; optional native bindings say 'not installed'. */
  readonly tensorflow: Readonly<Record<string, string>>;
}

/**
 * Node, the @robustfair packages and the TF.js packages in use. The backends are looked up
 * where @robustfair/core loads them from (the runner does not depend on them itself); tfjs-core
 * is the loaded engine's own version. Nothing is imported, so no backend gets registered.
 */
export function collectPackageVersions(): PackageVersions {
  const robustfair: Record<string, string> = {};
  for (const name of packages) robustfair[`@robustfair/${name}`] = versionOf(`@robustfair/${name}`);
  let fromCore: NodeJS.Require = require;
  try {
    fromCore = createRequire(require.resolve('@robustfair/core/package.json'));
  } catch {
    // keep resolving from the runner
  }
  const tensorflow: Record<string, string> = { '@tensorflow/tfjs-core': tf.version_core };
  for (const name of ['@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm']) tensorflow[name] = versionOf(name, fromCore);
  for (const name of ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']) tensorflow[name] = versionOf(name, fromCore, 'not installed');
  return { node: process.version, robustfair, tensorflow };
}
