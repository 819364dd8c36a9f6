import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-scope.js';
import { heapOffset, ownKernelsFor } from './own-kernels.js';
import { runStockKernel } from './stock-kernels.js';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

/**
 * Conv2D for wasm on our own kernel (wasm/conv2d.c), about twice XNNPACK's speed per thread on
 * V8, split by images over our helper threads. Dilated, non-NHWC or non-float32 convolutions,
 * and a TF.js build whose memory we cannot reach, go to TF.js's own kernel.
 */
export function conv2dWasm(args: KernelArgs): tf.TensorInfo {
  const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as tf.Conv2DAttrs;
  const backend = args.backend as WasmBackendLike;
  const kernels = ownKernelsFor(backend);
  const dilated = dilations !== undefined && (typeof dilations === 'number' ? dilations !== 1 : dilations.some((d) => d !== 1));
  if (!kernels || dilated || (dataFormat !== undefined && dataFormat !== 'NHWC') || x.dtype !== 'float32' || filter.dtype !== 'float32') {
    return runStockKernel(tf.Conv2D, args) as tf.TensorInfo;
  }
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
  const [batch, height, width, inChannels] = x.shape as [number, number, number, number];
  const { filterHeight, filterWidth, strideHeight, strideWidth, outHeight, outWidth, outChannels } = info;
  const { top, left } = info.padInfo;
  const y = backend.makeOutput([batch, outHeight, outWidth, outChannels], 'float32');
  if (batch * outHeight * outWidth * outChannels === 0) return y;
  const tapsIn = filterHeight * filterWidth * inChannels;
  const packed = backend.makeOutput([Math.ceil(outChannels / 8) * 8 * tapsIn], 'float32');
  kernels.conv2dPackFilter(heapOffset(backend, filter), heapOffset(backend, packed), tapsIn, outChannels);
  // Padded image rows/columns the windows cover; x is read in place when it already covers them.
  const paddedHeight = (outHeight - 1) * strideHeight + filterHeight;
  const paddedWidth = (outWidth - 1) * strideWidth + filterWidth;
  const needsPadding = top > 0 || left > 0 || paddedHeight > height || paddedWidth > width;
  const threads = Math.min(kernels.threads.threads, batch);
  const imageSize = paddedHeight * paddedWidth * inChannels;
  const scratch = needsPadding ? backend.makeOutput([threads * imageSize], 'float32') : undefined;
  const shape = [height, width, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth, top, left];
  const lists = Array.from({ length: threads }, (_, thread) => [
    heapOffset(backend, x),
    heapOffset(backend, packed),
    heapOffset(backend, y),
    scratch ? heapOffset(backend, scratch) + thread * imageSize * 4 : 0,
    Math.floor((thread * batch) / threads),
    Math.floor(((thread + 1) * batch) / threads),
    ...shape,
  ]);
  kernels.threads.run('conv2d_forward', lists);
  backend.disposeData(packed.dataId);
  if (scratch) backend.disposeData(scratch.dataId);
  return y;
}
