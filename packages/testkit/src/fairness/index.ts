// Fairness-strategy conformance suite and statistics fixtures.
export { describeFairnessStrategy, type DescribeFairnessStrategyOptions } from './describe-fairness-strategy.js';
export { fairnessStrategyChecks, type ConformanceCheck } from './fairness-strategy-checks.js';
export { createClassStatistics, type ClassStatisticsInput } from './create-class-statistics.js';
export { createRandomClassStatistics, createUniformClassStatistics } from './random-class-statistics.js';
export { allClassSignals } from './class-signals.js';
export { assertValidKnobs } from './knob-checks.js';
