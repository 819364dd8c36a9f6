import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '/work/main/packages/core/dist/index.js';
await selectBackend('wasm');
const x = tf.randomUniform([131072, 32]);
for (let i = 0; i < 3; i++) {
  let s = performance.now(); const y = tf.mul(x, x); const a = performance.now() - s;
  s = performance.now(); y.dataSync(); const b = performance.now() - s;
  s = performance.now(); const z = tf.add(x, x); const c = performance.now() - s;
  console.log('mul', a.toFixed(1), 'dataSync', b.toFixed(1), 'add', c.toFixed(1)); y.dispose(); z.dispose();
}
