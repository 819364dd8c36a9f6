import * as tf from '@tensorflow/tfjs-core';

/**
 * TF.js's cpu backend prints a banner on its first tensor write in Node ("Hi, looks like you are
 * running TensorFlow.js in Node.js… install tfjs-node"). We choose the backend ourselves and
 * `robustfair info` says why tfjs-node was not taken, so the banner is noise. TF.js 4.22 has no
 * flag for this banner alone: `PROD` and `IS_TEST` silence every TF.js warning, real ones too.
 * So this marks the registered cpu backend as already used (its `firstUse` field, read only
 * by that banner). Call it after `@tensorflow/tfjs-backend-cpu` is imported; a no-op when the
 * cpu backend is not registered or a later TF.js has no such field.
 */
export function silenceCpuBackendBanner(): void {
  if (!tf.engine().registryFactory['cpu']) return;
  const cpu = tf.findBackend('cpu') as (tf.KernelBackend & { firstUse?: boolean }) | null;
  if (cpu !== null && typeof cpu.firstUse === 'boolean') cpu.firstUse = false;
}
