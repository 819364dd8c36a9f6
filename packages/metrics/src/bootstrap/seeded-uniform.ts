/**
 * A seeded stream of uniforms in [0, 1) (mulberry32). Metrics stay free of tfjs and of core's
 * generator so that the package only needs the spec; 32 bits of state are plenty for bootstrap
 * resampling, and the same seed always gives the same stream.
 */
export function createSeededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
