import * as tf from '@tensorflow/tfjs-core';

/** Useful forward FLOPs of a model at a batch (1 MAC = 2 FLOP), from the kernels a forward pass runs. */
export interface ForwardFlops {
  readonly forward: number;
  /** The first layer's share: its input gradient is not needed in training. */
  readonly firstLayer: number;
}

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Counts conv and matmul FLOPs from `tf.profile` of one eval-mode forward, so the numbers
 * follow the real architecture. Train = forward + dW + dX except the first layer's dX;
 * PGD = forward + dX (the definitions in docs/performance.md).
 */
export async function countForwardFlops(forward: () => tf.Tensor): Promise<ForwardFlops> {
  const info = await tf.profile(() => {
    const output = forward();
    output.dispose();
  });
  let total = 0;
  let firstLayer = -1;
  for (const kernel of info.kernels) {
    const inputs = kernel.inputShapes as number[][];
    const outputs = kernel.outputShapes as number[][];
    const output = outputs[0] ?? [];
    let flops = 0;
    if (kernel.name === 'Conv2D' || kernel.name === 'FusedConv2D') {
      const filter = inputs[1] ?? [];
      flops = 2 * product(output) * (filter[0] ?? 0) * (filter[1] ?? 0) * (filter[2] ?? 0);
    } else if (kernel.name === 'DepthwiseConv2dNative' || kernel.name === 'FusedDepthwiseConv2D') {
      const filter = inputs[1] ?? [];
      flops = 2 * product(output) * (filter[0] ?? 0) * (filter[1] ?? 0);
    } else if (kernel.name === 'BatchMatMul' || kernel.name === '_FusedMatMul') {
      const a = inputs[0] ?? [];
      const inner = a[a.length - 1] ?? 0; // dense layers: x[N, K] · W[K, C]
      flops = 2 * product(output) * inner;
    }
    if (flops > 0 && firstLayer < 0) firstLayer = flops;
    total += flops;
  }
  return { forward: total, firstLayer: Math.max(firstLayer, 0) };
}
