// Attack test doubles and the attack conformance suite.
export { createLinearModel, type LinearModelOptions } from './create-linear-model.js';
export { recordTrainingFlags, type TrainingFlagRecorder } from './record-training-flags.js';
export { createAttackFixture, fixtureClassEpsilon, type AttackFixture } from './attack-fixture.js';
export { describeAttack, type DescribeAttackOptions } from './describe-attack.js';
