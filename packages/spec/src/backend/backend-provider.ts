/** Backend provider ids, in the order they are tried unless a config says otherwise. */
export type BackendId = 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';

/** Makes one TF.js backend available at run time; optional backends are detected, never required. */
export interface BackendProvider {
  readonly id: BackendId;
  /** Higher is tried first. */
  readonly priority: number;
  /** Resolves with a reason when the backend cannot be used here (e.g. optional peer missing). */
  probe(): Promise<{ readonly available: true } | { readonly available: false; readonly reason: string }>;
  /** Loads, registers and selects the backend (`tf.setBackend` + `tf.ready`). */
  activate(): Promise<void>;
}
