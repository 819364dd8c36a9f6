// The one place tests pick a backend (HOUSE-STYLE decision 2): ROBUSTFAIR_BACKEND, default wasm
// with our gradient kernels. wasm threads stay off in test workers (TF.js never enables them in
// Node). Parity and determinism tests pin cpu themselves.
import 'reflect-metadata';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core has no gradients of its own (see core/src/backend/register-gradients.ts).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { wasmBackendProvider } from '../packages/backend-wasm/src/wasm-backend-provider.js';
import { cpuBackendProvider } from '../packages/core/src/backend/cpu-backend-provider.js';
import { silenceCpuBackendBanner } from '../packages/core/src/backend/quiet-cpu-backend.js';
import { selectBackend } from '../packages/core/src/backend/select-backend.js';

// Tests that pin cpu with tf.setBackend('cpu') share this instance: no tfjs-node banner in test output.
silenceCpuBackendBanner();

const wanted = (process.env['ROBUSTFAIR_BACKEND'] ?? 'wasm') as 'wasm' | 'cpu';
await selectBackend(wanted, [wasmBackendProvider, cpuBackendProvider]);

// Tests never read or fill the user's shared teacher cache (~/.cache/robustfair/teachers): a test
// that is about the cache names its own directory. Spawned CLI processes inherit this.
process.env['ROBUSTFAIR_TEACHER_CACHE'] ??= 'off';
