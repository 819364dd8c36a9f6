export { wasmBackendProvider, wasmThreadsStatus, type WasmThreadsStatus } from './wasm-backend-provider.js';
export { registerWasmTrainingKernels, wasmTrainingKernels } from './register-wasm-training-kernels.js';
export { wantedWasmThreads } from './wasm-threads.js';
export { relaxedSimdSupported, wasmSimdVariant, type WasmSimdVariant } from './wasm-simd-variant.js';
