import * as tf from '@tensorflow/tfjs-core';

/** The slice of the wasm backend our composite kernels use (kept structural: the class is not exported). */
export interface WasmBackendLike extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

/**
 * Runs other registered kernels of the same backend from inside a kernel, and disposes every
 * intermediate it made unless it is kept as the result. Kernel functions must not call tf ops
 * (the engine is inside a kernel), so composite kernels are built from kernel calls like this.
 */
export class KernelScope {
  private readonly made: tf.TensorInfo[] = [];

  constructor(
    readonly backend: WasmBackendLike,
    private readonly backendName = 'wasm',
  ) {}

  run(kernelName: string, inputs: Record<string, tf.TensorInfo>, attrs: Record<string, unknown> = {}): tf.TensorInfo {
    const kernel = tf.getKernel(kernelName, this.backendName);
    if (!kernel) throw new Error(`composite kernel: '${kernelName}' is not registered for '${this.backendName}'`);
    const result = kernel.kernelFunc({ inputs, backend: this.backend, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
    this.made.push(result);
    return result;
  }

  /** A new float32 output tensor whose heap view the caller fills. */
  output(shape: number[]): { info: tf.TensorInfo; values: Float32Array } {
    const info = this.backend.makeOutput(shape, 'float32');
    this.made.push(info);
    return { info, values: this.backend.typedArrayFromHeap(info) };
  }

  /** Wraps values computed in JS (small tensors: filters) as a backend tensor. */
  fromValues(shape: number[], values: Float32Array): tf.TensorInfo {
    const { info, values: target } = this.output(shape);
    target.set(values);
    return info;
  }

  read(info: tf.TensorInfo): Float32Array {
    return this.backend.typedArrayFromHeap(info);
  }

  /** Disposes every intermediate except `result`, and returns it. */
  finish(result: tf.TensorInfo): tf.TensorInfo {
    for (const info of this.made) {
      if (info.dataId !== result.dataId) this.backend.disposeData(info.dataId);
    }
    return result;
  }
}
