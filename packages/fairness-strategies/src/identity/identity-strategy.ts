import type { FairnessStrategy } from '@robustfair/spec';

/** `identity` keeps no state. */
export type IdentityState = null;

/**
 * The ablation baseline: no fairness method at all. It reads no signals, keeps `null` as state
 * and returns empty knobs, so every class gets weight 1, the base ε and temperature 1.
 *
 * @example
 * fit({ ..., fairness: createIdentityStrategy() });
 */
export function createIdentityStrategy(): FairnessStrategy<IdentityState> {
  return {
    specificationVersion: 'v1',
    id: 'identity',
    requires: { split: 'train', signals: [] },
    init: () => null,
    update: () => null,
    knobs: () => ({}),
  };
}
