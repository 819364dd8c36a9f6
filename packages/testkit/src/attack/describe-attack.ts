import type { Attack } from '@robustfair/spec';
import { describeChecks } from '../describe-checks.js';
import { attackChecks, type DescribeAttackOptions } from './attack-checks.js';

export type { DescribeAttackOptions } from './attack-checks.js';

/**
 * The attack conformance suite (HOUSE-STYLE B8): every built-in and third-party attack runs it.
 * It checks, on a 3-class (or 5-class) linear model with a different ε per class (one class has
 * ε = 0), that the result has the input's shape, stays inside the model's bounds and each
 * sample's own ε ball (in the attack's `norm`: L∞ per pixel, L2 over the whole perturbation),
 * does not mutate or dispose the request's tensors, is deterministic for a seed, leaks no
 * tensor, uses `request.objective` when given, and calls the model in the configured mode only
 * (eval: batch-norm state untouched).
 *
 * Each `it` runs one of {@link attackChecks}: the same checks `robustfair test-plugin` runs.
 *
 * @param makeAttack builds a fresh attack for each test.
 */
export function describeAttack(name: string, makeAttack: () => Attack, options: DescribeAttackOptions = {}): void {
  describeChecks(`attack conformance: ${name}`, attackChecks(name, makeAttack, options));
}
