/**
 * Derives an independent 31-bit seed from a parent seed and labels, e.g.
 * `deriveSeed(seed, 'attack', epoch, batch)`. Every random choice in a run comes from the
 * run's seed through this function, so one number reproduces everything.
 * FNV-1a over the parts, then a murmur3 finaliser for avalanche.
 */
export function deriveSeed(seed: number, ...parts: readonly (string | number)[]): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  const text = parts.join('\u0000');
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 1; // non-negative, fits TF.js seeds and JSON
}
