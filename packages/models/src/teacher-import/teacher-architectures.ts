/**
 * What the import needs to know per architecture (the model plugin ids): keys a real PyTorch
 * checkpoint of that architecture carries that our model does not use, and which 4-D weights are
 * depthwise (`[C, 1, k, k]` in PyTorch, `[k, k, C, 1]` here) rather than ordinary OIHW kernels.
 */
export interface TeacherArchitecture {
  /** Keys (after the `module.` prefix is stripped) to skip, with the reason shown in reports. */
  readonly ignoredKeys: readonly { readonly pattern: RegExp; readonly reason: string }[];
  /** Names of depthwise kernels; every other 4-D weight is an OIHW conv kernel. */
  readonly depthwiseKernels?: RegExp;
}

/** Batch-norm step counters (int64): PyTorch ≥ 0.4 saves them, momentum-based BN never reads them. */
const numBatchesTracked = { pattern: /(^|\.)num_batches_tracked$/, reason: 'batch-norm step counter, unused with momentum 0.1' };

/**
 * The documented ignore-lists. Everything else a checkpoint holds must match a variable of the
 * model, or the import fails listing it.
 *
 * - every architecture: `*.num_batches_tracked`;
 * - `wide-resnet`: `sub_block1.*`, the copy of `block1` that the TRADES/RSLAD WideResNet class
 *   defines and never calls (docs/methods/rslad.md); its weights are in `model_cifar_wrn.pt`.
 */
export const teacherArchitectures = {
  'resnet18': { ignoredKeys: [numBatchesTracked] },
  'preact-resnet18': { ignoredKeys: [numBatchesTracked] },
  'mobilenet-v2': { ignoredKeys: [numBatchesTracked], depthwiseKernels: /^layers\.\d+\.conv2\.weight$/ },
  'wide-resnet': {
    ignoredKeys: [numBatchesTracked, { pattern: /^sub_block1\./, reason: 'unused sub_block1 of the TRADES WideResNet' }],
  },
  'dm-wide-resnet': { ignoredKeys: [numBatchesTracked] },
  'small-cnn': { ignoredKeys: [numBatchesTracked] },
} as const satisfies Readonly<Record<string, TeacherArchitecture>>;

/** Architecture ids `importSafetensors` knows. */
export type TeacherArchitectureId = keyof typeof teacherArchitectures;
