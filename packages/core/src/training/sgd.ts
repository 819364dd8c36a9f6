import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { sgdMomentumStepKernelName, type SgdMomentumStepAttrs } from '../kernels/kernel-names.js';

export const sgdOptionsSchema = z.strictObject({
  learningRate: z.number().positive().default(0.1).describe('Base learning rate (the schedule scales it per epoch).'),
  momentum: z.number().min(0).max(1).default(0.9).describe('Momentum μ (PyTorch: the first step sets the buffer to the gradient).'),
  weightDecay: z.number().min(0).default(2e-4).describe('L2 weight decay, added to the gradient of every parameter (PyTorch semantics).'),
  nesterov: z.boolean().default(false).describe('Nesterov momentum.'),
});

export type SgdOptions = z.output<typeof sgdOptionsSchema>;

/** SGD with momentum and weight decay exactly as PyTorch's `torch.optim.SGD` (docs/methods/conventions.md#optimiser-sgd-as-pytorch-does-it). */
export interface SgdOptimizer {
  /** Applies one step; the caller keeps ownership of `gradients`. */
  step(gradients: Readonly<Record<string, tf.Tensor>>, learningRate: tf.Scalar): void;
  /** Momentum buffers by variable name, for checkpoints. */
  buffers(): ReadonlyMap<string, tf.Variable>;
  /** Momentum buffers in the order of the optimizer's variables (null: no step taken yet). */
  exportBuffers(): Promise<(Float32Array | null)[]>;
  /** Restores buffers exported by `exportBuffers` (same variable order). */
  importBuffers(buffers: readonly (Float32Array | null)[]): void;
  dispose(): void;
}

/**
 * PyTorch semantics: g ← g + wd·w for EVERY parameter (BN γ/β and biases included);
 * v ← μ·v + g (the first step sets v = g); w ← w − lr·v, or w − lr·(g + μ·v) with Nesterov.
 * Hand-written over tf.Variables because tf.train.momentum has no weight decay, and so that
 * the buffers survive learning-rate changes.
 */
export function createSgdOptimizer(variables: readonly tf.Variable[], options: SgdOptions): SgdOptimizer {
  const buffers = new Map<string, tf.Variable>();
  const byName = new Map(variables.map((variable) => [variable.name, variable]));
  return {
    step(gradients, learningRate) {
      // One fused kernel per variable where the backend has it (wasm): the same float32 operations.
      const fused = options.momentum > 0 && tf.getKernel(sgdMomentumStepKernelName, tf.getBackend()) !== undefined;
      tf.tidy(() => {
        for (const [name, gradient] of Object.entries(gradients)) {
          const variable = byName.get(name);
          if (!variable) throw new Error(`sgd: gradient for unknown variable '${name}'`);
          const existing = buffers.get(name);
          if (fused && existing) {
            const { weightDecay, momentum, nesterov } = options;
            const attrs: SgdMomentumStepAttrs = { weightDecay, momentum, nesterov };
            const [weight, velocity] = tf.engine().runKernel(sgdMomentumStepKernelName, { w: variable, g: gradient, v: existing, learningRate }, attrs) as tf.Tensor[];
            existing.assign(velocity as tf.Tensor);
            variable.assign(weight as tf.Tensor);
            continue;
          }
          const decayed = options.weightDecay > 0 ? tf.add(gradient, tf.mul(variable, options.weightDecay)) : gradient;
          let velocity: tf.Tensor = decayed;
          if (options.momentum > 0) {
            const buffer = buffers.get(name);
            if (buffer) {
              buffer.assign(tf.add(tf.mul(buffer, options.momentum), decayed));
            } else {
              buffers.set(name, tf.variable(decayed, false, `${name}/momentum`));
            }
            const current = buffers.get(name) as tf.Variable;
            velocity = options.nesterov ? tf.add(decayed, tf.mul(current, options.momentum)) : current;
          }
          variable.assign(tf.sub(variable, tf.mul(velocity, learningRate)));
        }
      });
    },
    buffers: () => buffers,
    exportBuffers: async () =>
      Promise.all(variables.map(async (variable) => {
        const buffer = buffers.get(variable.name);
        return buffer ? ((await buffer.data()) as Float32Array).slice() : null;
      })),
    importBuffers(values) {
      if (values.length !== variables.length) {
        throw new Error(`sgd: ${values.length} momentum buffers for ${variables.length} variables`);
      }
      values.forEach((value, index) => {
        const variable = variables[index] as tf.Variable;
        buffers.get(variable.name)?.dispose();
        buffers.delete(variable.name);
        if (!value) return;
        if (value.length !== variable.size) throw new Error(`sgd: momentum buffer ${index} has ${value.length} values, its variable ${variable.size}`);
        const initial = tf.tensor(value, variable.shape, 'float32');
        buffers.set(variable.name, tf.variable(initial, false, `${variable.name}/momentum`));
        initial.dispose();
      });
    },
    dispose() {
      for (const buffer of buffers.values()) buffer.dispose();
      buffers.clear();
    },
  };
}
