import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, crossEntropyPerSample } from '/work/main/packages/core/dist/index.js';
import { createSmallCnn } from '/work/main/packages/models/dist/index.js';
await selectBackend(process.argv[2] ?? 'wasm');
const model = createSmallCnn({ numClasses: 10, inputShape: [32, 32, 3], width: 32, seed: 0 });
const x = tf.randomUniform([128, 32, 32, 3]);
const y = tf.randomUniform([128], 0, 10, 'int32');
const step = process.argv[3] ?? 'train';
const f = step === 'train'
  ? () => tf.tidy(() => { const { grads } = tf.variableGrads(() => tf.mean(crossEntropyPerSample(model.logits(x, { training: true }), y)), model.trainableVariables()); Object.values(grads).forEach(g => g.dataSync()); })
  : () => tf.tidy(() => tf.grad((input) => tf.sum(crossEntropyPerSample(model.logits(input, { training: false }), y)))(x).dataSync());
f();
const info = await tf.profile(f);
const byName = new Map();
for (const k of info.kernels) { const t = await k.kernelTimeMs; const key = k.name + ' ' + JSON.stringify(k.inputShapes?.[0] ?? []); const kk = process.env.BYSHAPE ? key : k.name; const e = byName.get(kk) ?? { ms: 0, n: 0 }; e.ms += typeof t === 'number' ? t : 0; e.n++; byName.set(kk, e); }
const total = [...byName.values()].reduce((a, b) => a + b.ms, 0);
console.log('total kernel ms', total.toFixed(0));
for (const [name, e] of [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 18)) console.log(name.padEnd(24), e.ms.toFixed(1).padStart(8), e.n);
