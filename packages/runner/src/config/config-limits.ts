import { InvalidOptionsError } from '@robustfair/spec';

/**
 * Bounds on what a config file (and `--set`) may hold, so a hostile or mistaken config fails
 * with a message naming the file and the limit instead of exhausting the stack or memory
 * (docs/security.md, "Limits on sizes").
 */
export const configLimits = {
  /** Bytes of one config file: real configs are a few KB; the whole text is held and parsed. */
  fileBytes: 1024 * 1024,
  /** Nesting of objects and arrays: real configs nest about 6 deep; merging and validation recurse. */
  depth: 64,
  /** Files in one `extends` chain. */
  extendsChain: 32,
  /** Segments of one `--set a.b.c=value` path (it nests as deep as it has segments). */
  overrideSegments: 32,
} as const;

/**
 * Keys that would change an object's prototype or shadow its constructor when a config is
 * merged or spread: `{"__proto__": {"epochs": 1}}` would make zod read `epochs` through the
 * prototype. Refused wherever they appear.
 */
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

/** True when `key` may be a config field. */
export function isAllowedConfigKey(key: string): boolean {
  return !forbiddenKeys.has(key);
}

/**
 * Checks a parsed config value before anything recurses through it: at most `configLimits.depth`
 * levels of objects and arrays, plain objects only (no prototype set by a `__proto__` key), and
 * no forbidden key. Iterative, so a hostile depth cannot overflow the stack here. Errors name
 * `source` (the file, or `--set`) and the field path.
 */
export function checkConfigTree(value: unknown, source: string): void {
  const pending: { readonly value: unknown; readonly path: string; readonly depth: number }[] = [{ value, path: '', depth: 0 }];
  while (pending.length > 0) {
    const { value: node, path, depth } = pending.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= configLimits.depth) {
      throw new InvalidOptionsError('config file', [{ path: source, message: `nests deeper than ${configLimits.depth} levels (at '${path}')` }]);
    }
    if (!Array.isArray(node)) {
      const prototype = Object.getPrototypeOf(node) as unknown;
      if (prototype !== Object.prototype && prototype !== null) {
        throw new InvalidOptionsError('config file', [{ path: source, message: `field '${path || '(top level)'}' is not a plain object (a '__proto__' key?)` }]);
      }
    }
    for (const [key, child] of Object.entries(node)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      if (!Array.isArray(node) && !isAllowedConfigKey(key)) {
        throw new InvalidOptionsError('config file', [{ path: source, message: `field '${childPath}': the key '${key}' is not allowed in a config` }]);
      }
      pending.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
}
