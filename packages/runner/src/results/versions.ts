import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';

const require = createRequire(import.meta.url);

const packages = ['spec', 'core', 'attacks', 'distillers', 'fairness-strategies', 'metrics', 'datasets', 'models', 'runner'];

function versionOf(name: string): string {
  try {
    const file = require.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
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
