/**
 * Per-channel input normalisation inside the model, `(x − mean) / std`, so that attacks and
 * datasets stay in [0, 1] pixel space. The names follow torchvision's `Normalize(mean, std)`.
 */
export interface InputNormalization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/**
 * CIFAR-10 training-set statistics as in the WRN-70-16 teacher's code (RSLAD
 * `cifar100_models/wideresnet.py`, which uses them for its CIFAR-100 model too, docs/methods/rslad.md).
 */
export const cifar10Normalization: InputNormalization = {
  mean: [0.4914, 0.4822, 0.4465],
  std: [0.2471, 0.2435, 0.2616],
};

/** CIFAR-100 training-set statistics, from the same file (unused by the published teacher). */
export const cifar100Normalization: InputNormalization = {
  mean: [0.5071, 0.4865, 0.4409],
  std: [0.2673, 0.2564, 0.2762],
};
