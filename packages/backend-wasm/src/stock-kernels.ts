import * as tf from '@tensorflow/tfjs-core';

// TF.js's own wasm kernels that ours replace, kept so ours can hand over the cases they do not
// cover (e.g. dilated convolutions). A stock wasm kernel binds its C function in `setupFunc`,
// which the engine runs only for kernels registered when the backend starts; ours replace the
// stock ones before that, so the setup runs here, once per backend instance, on first use.
const stock = new Map<string, tf.KernelConfig>();
const setUp = new Map<string, WeakSet<tf.KernelBackend>>();

/** Remembers `config` as the stock kernel for its name (the first one seen wins). */
export function rememberStockKernel(config: tf.KernelConfig): void {
  if (!stock.has(config.kernelName)) stock.set(config.kernelName, config);
}

/** Runs the stock wasm kernel `name`, or throws naming it when there is none. */
export function runStockKernel(name: string, args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo | tf.TensorInfo[] {
  const config = stock.get(name);
  if (!config) throw new Error(`wasm: no stock '${name}' kernel to fall back to`);
  const backends = setUp.get(name) ?? new WeakSet<tf.KernelBackend>();
  setUp.set(name, backends);
  if (config.setupFunc && !backends.has(args.backend)) {
    config.setupFunc(args.backend);
    backends.add(args.backend);
  }
  return config.kernelFunc(args);
}
