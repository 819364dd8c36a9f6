// @robustfair/testkit/checks: the conformance checks as plain functions, without vitest, for
// tools that run them outside a test runner (`robustfair test-plugin`). The vitest suites of the
// main entry (`describeFairnessStrategy`, ...) run these same checks.
export { fairnessStrategyChecks, type ConformanceCheck, type DescribeFairnessStrategyOptions } from './fairness/fairness-strategy-checks.js';
export { allClassSignals } from './fairness/class-signals.js';
export { assertValidKnobs } from './fairness/knob-checks.js';
export { attackChecks, type DescribeAttackOptions } from './attack/attack-checks.js';
export { countLeakedTensors } from './leak/expect-no-tensor-leak.js';
