// @robustfair/testkit: conformance suites every plugin runs, leak checks, small fixtures.
export { countLeakedTensors, expectNoTensorLeak } from './leak/expect-no-tensor-leak.js';
export * from './attack/index.js';
export * from './objective/index.js';
export * from './distiller/index.js';
export * from './fairness/index.js';
export * from './dataset/index.js';
export { describeChecks } from './describe-checks.js';
export * from './repository/markdown-tables.js';
