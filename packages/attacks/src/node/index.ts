// `@robustfair/attacks/node`: the helpers that write files. The main entry never imports from
// here, so what a browser bundles from `@robustfair/attacks` needs no Node built-in (the
// playground's browser-bundle check).
export { writeEvaluationCsv, writeEvaluationJson } from './write-evaluation-files.js';
export { writeFileAtomic } from '@robustfair/core/node';
