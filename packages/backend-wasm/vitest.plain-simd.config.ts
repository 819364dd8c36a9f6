import { robustfairProject } from '../../tools/vitest.shared.js';

// The wasm kernels' parity suite again, on the plain-SIMD build of our kernels (the default
// project runs the relaxed-SIMD build, which every supported Node version can run).
export default robustfairProject('backend-wasm-plain-simd', {
  include: ['src/wasm-kernels.test.ts'],
  env: { ROBUSTFAIR_WASM_SIMD: 'plain' },
});
