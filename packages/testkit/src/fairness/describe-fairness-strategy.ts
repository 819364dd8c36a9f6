import type { FairnessStrategy, JsonValue } from '@robustfair/spec';
import { describe, it } from 'vitest';
import { fairnessStrategyChecks, type ConformanceCheck, type DescribeFairnessStrategyOptions } from './fairness-strategy-checks.js';

export type { DescribeFairnessStrategyOptions } from './fairness-strategy-checks.js';

/**
 * The conformance suite every fairness strategy runs (HOUSE-STYLE B8). For each class count it
 * checks that: the strategy declares a valid id, version and requirements; `init` returns
 * plain JSON that round-trips through `JSON.stringify`/`JSON.parse` unchanged; `update` and
 * `knobs` are pure (deep-frozen inputs, so any mutation throws; the same input gives the same
 * output); knob vectors have `numClasses` finite entries and no unknown fields; the state stays
 * JSON and round-trips after several updates with seeded random statistics carrying every
 * `ClassSignal` as sums with counts (and a round-tripped state behaves like the original); and
 * statistics equal across classes give neutral weights (all 1 within 1e-9, where set).
 *
 * Each `it` runs one of {@link fairnessStrategyChecks}: the same checks `robustfair test-plugin`
 * runs without vitest.
 *
 * @example
 * describeFairnessStrategy('class-reweight', () => createClassReweightStrategy());
 */
export function describeFairnessStrategy<State extends JsonValue>(
  name: string,
  makeStrategy: () => FairnessStrategy<State>,
  options: DescribeFairnessStrategyOptions = {},
): void {
  describeChecks(`${name} (fairness strategy conformance)`, fairnessStrategyChecks(makeStrategy, options));
}

/** One `describe` with an `it` per check, and a nested `describe` per group, in check order. */
export function describeChecks(title: string, checks: readonly ConformanceCheck[]): void {
  describe(title, () => {
    const groups = [...new Set(checks.map((check) => check.group))];
    for (const group of groups) {
      const members = checks.filter((check) => check.group === group);
      const define = () => {
        for (const check of members) it(check.name, () => check.run());
      };
      if (group === undefined) define();
      else describe(group, define);
    }
  });
}
