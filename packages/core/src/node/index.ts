// `@robustfair/core/node`: the helpers that need Node's built-in modules. The main entry never
// imports from here, so what a browser loads from `@robustfair/core` has no `node:` import
// (checked by src/no-node-imports.test.ts).
export { makeDirectory } from './make-directory.js';
export { tfjsNodeBackendProvider, tfjsNodeGpuBackendProvider } from './native-backend-providers.js';
export { writeFileAtomic } from './write-file-atomic.js';
