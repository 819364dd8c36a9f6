// Attack test doubles and the attack conformance suite.
export { createLinearModel, type LinearModelOptions } from './create-linear-model.js';
export { recordTrainingFlags, type TrainingFlagRecorder } from './record-training-flags.js';
export {
  createAttackFixture,
  fiveClassFixtureEpsilon,
  fixtureClassEpsilon,
  type AttackFixture,
  type AttackFixtureClasses,
} from './attack-fixture.js';
export { describeAttack, type DescribeAttackOptions } from './describe-attack.js';
export { attackChecks } from './attack-checks.js';
export { createArrayDataset, type ArrayDatasetOptions, type ArraySplit } from './create-array-dataset.js';
