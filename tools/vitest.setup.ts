// The one place tests pick a backend. ROBUSTFAIR_BACKEND chooses it (cpu until the wasm
// training path lands); parity and determinism tests pin cpu themselves.
import 'reflect-metadata';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core has no gradients of its own (see core/src/backend/register-gradients.ts).
import '@tensorflow/tfjs-core/dist/register_all_gradients';

const wanted = process.env['ROBUSTFAIR_BACKEND'] ?? 'cpu';
if (!(await tf.setBackend(wanted))) throw new Error(`test setup: backend '${wanted}' is not available`);
await tf.ready();
