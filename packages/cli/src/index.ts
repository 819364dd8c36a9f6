// @robustfair/cli: the `robustfair` command. Use the bin; `createProgram` is exported for tests and embedding.
export { createProgram } from './program.js';
