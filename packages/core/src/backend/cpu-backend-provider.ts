import type { BackendProvider } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { silenceCpuBackendBanner } from './quiet-cpu-backend.js';

/** The pure-JS reference backend: always available, slow, the ground truth for parity tests. */
export const cpuBackendProvider: BackendProvider = {
  id: 'cpu',
  priority: 10,
  probe: async () => ({ available: true }),
  activate: async () => {
    await import('@tensorflow/tfjs-backend-cpu');
    silenceCpuBackendBanner();
    if (!(await tf.setBackend('cpu'))) throw new Error("setBackend('cpu') failed");
    await tf.ready();
  },
};
