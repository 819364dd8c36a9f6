import { defineLibraryConfig } from '../../tools/tsup.shared.js';

// checks: the conformance checks without vitest (`robustfair test-plugin`).
export default defineLibraryConfig({"index":"src/index.ts","checks":"src/checks.ts"});
