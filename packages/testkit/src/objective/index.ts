// The training-objective conformance suite.
export { describeObjective } from './describe-objective.js';
