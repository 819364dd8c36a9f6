// The one place tests pick a backend (HOUSE-STYLE decision 2): ROBUSTFAIR_BACKEND, default wasm
// with our gradient kernels. wasm threads stay off in test workers (TF.js never enables them in
// Node). Parity and determinism tests pin cpu themselves.
import 'reflect-metadata';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core has no gradients of its own (see core/src/backend/register-gradients.ts).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { silenceCpuBackendBanner } from '../packages/core/src/backend/quiet-cpu-backend.js';
import { selectBackend } from '../packages/core/src/backend/select-backend.js';

// Tests that pin cpu with tf.setBackend('cpu') share this instance: no tfjs-node banner in test output.
silenceCpuBackendBanner();

const wanted = (process.env['ROBUSTFAIR_BACKEND'] ?? 'wasm') as 'wasm' | 'cpu';
await selectBackend(wanted);
