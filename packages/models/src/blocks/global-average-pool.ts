import * as tf from '@tensorflow/tfjs-core';

/**
 * Mean over height and width. The references call `F.avg_pool2d(out, 4)` (ResNets, MobileNetV2)
 * or `(out, 8)` (WRNs), which on 32×32 inputs sees the whole final map; the global mean is the
 * same there and also works for other input sizes (small CPU tests, 64×64 Tiny-ImageNet).
 */
export function globalAveragePool(features: tf.Tensor4D): tf.Tensor2D {
  return tf.mean(features, [1, 2]);
}
