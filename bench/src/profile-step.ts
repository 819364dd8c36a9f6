import { wasmThreadsStatus } from '@robustfair/backend-wasm';
import { selectBackend } from '@robustfair/core';
import * as tf from '@tensorflow/tfjs-core';
import { benchBackendProviders } from './backend-providers.js';
import { createBenchModel } from './bench-models.js';
import { createStep, type BenchStep } from './bench-steps.js';
import { parseBenchArgs } from './bench-args.js';

// `node bench/dist/profile-step.js --model preact-resnet18-w16 --step train`: where the time of
// one step goes, per kernel (tf.profile's kernel timings, summed by kernel name), to pick the
// next thing to make faster. A diagnostic, not a benchmark: it prints, it asserts nothing.
const { values: flags } = parseBenchArgs('profile-step', {
  model: { type: 'string', default: 'small-cnn' },
  step: { type: 'string', default: 'train' },
  batch: { type: 'string', default: '128' },
  backend: { type: 'string', default: 'wasm' },
  // unprofiled steps timed after the profile, to see the run-to-run spread
  repeat: { type: 'string', default: '0' },
});
await selectBackend(flags.backend as 'wasm' | 'cpu', benchBackendProviders);
const batch = Number(flags.batch);
const model = createBenchModel(flags.model);
const inputs = tf.randomUniform([batch, 32, 32, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
const labels = tf.randomUniform([batch], 0, 10, 'int32', 2) as tf.Tensor1D;
const step = createStep(flags.step as BenchStep, model, inputs, labels);
step.run(); // warm-up
const started = performance.now();
const info = await tf.profile(() => step.run());
const wall = performance.now() - started;
const byKernel = new Map<string, { ms: number; calls: number }>();
for (const kernel of info.kernels) {
  const entry = byKernel.get(kernel.name) ?? { ms: 0, calls: 0 };
  entry.ms += kernel.kernelTimeMs as number;
  entry.calls += 1;
  byKernel.set(kernel.name, entry);
}
const total = [...byKernel.values()].reduce((sum, entry) => sum + entry.ms, 0);
process.stdout.write(`${flags.model} ${flags.step} batch ${batch} on ${flags.backend} (${wasmThreadsStatus()?.threads ?? 1} threads): wall ${wall.toFixed(0)} ms (profiled), kernels ${total.toFixed(0)} ms\n`);
for (const [name, entry] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
  process.stdout.write(`${name.padEnd(28)} ${entry.ms.toFixed(1).padStart(8)} ms ${((100 * entry.ms) / total).toFixed(1).padStart(5)} %  ${String(entry.calls).padStart(5)} calls\n`);
}
const repeat = Number(flags.repeat);
if (repeat > 0) {
  const times: number[] = [];
  for (let index = 0; index < repeat; index++) {
    const begin = performance.now();
    step.run();
    times.push(performance.now() - begin);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number).toFixed(0);
  process.stdout.write(`${repeat} unprofiled steps: min ${at(0)} / median ${at(0.5)} / max ${at(1)} ms: ${times.map((t) => t.toFixed(0)).join(' ')}\n`);
}
step.dispose();
tf.dispose([inputs, labels]);
model.dispose();
