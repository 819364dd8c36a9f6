import * as tf from '@tensorflow/tfjs-core';

/** Element-wise activations the architectures use, by option name. */
export type ActivationName = 'relu' | 'swish';

/** An element-wise map of NHWC feature maps. */
export type Activation = (inputs: tf.Tensor4D) => tf.Tensor4D;

/**
 * `relu`, or `swish` = x · sigmoid(x) (the WRN-70-16 teacher of Gowal et al. 2020). tfjs-core has
 * no swish op; the product is differentiated by the registered gradients of `mul` and
 * `sigmoid`, which give the same derivative as the reference's hand-written backward.
 */
export function activationByName(name: ActivationName): Activation {
  return name === 'swish' ? (inputs) => tf.mul(inputs, tf.sigmoid(inputs)) : (inputs) => tf.relu(inputs);
}
