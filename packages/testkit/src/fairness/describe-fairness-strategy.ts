import type { FairnessStrategy, JsonValue } from '@robustfair/spec';
import { describeChecks } from '../describe-checks.js';
import { fairnessStrategyChecks, type DescribeFairnessStrategyOptions } from './fairness-strategy-checks.js';

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
