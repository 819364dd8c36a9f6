import type { OptionsIssue } from '@robustfair/spec';
import type * as tf from '@tensorflow/tfjs-core';
import type { InputNormalization } from './input-normalization.js';
import type { LayerScope } from './layer-scope.js';

/** Options every architecture takes. */
export interface ArchitectureOptions {
  readonly numClasses: number;
  readonly inputShape: readonly [height: number, width: number, channels: number];
  /** Seeds the initialisation; each layer derives its own stream from its PyTorch name. */
  readonly seed: number;
  /** Mean/std applied inside the model before the first layer. Default: none (inputs used as they are). */
  readonly normalization?: InputNormalization;
}

/** The forward pass of a built architecture, without input normalisation or checks. */
export type Forward = (inputs: tf.Tensor4D, training: boolean) => tf.Tensor2D;

/**
 * An architecture: option checks, and a `build` that declares its layers in a `LayerScope` (in
 * PyTorch registration order) and returns the forward pass. `createArchitectureModel` and
 * `parameterShapes` run the same `build`, so counted shapes are the built ones.
 */
export interface Architecture<Options extends ArchitectureOptions> {
  /** The plugin id and the prefix of error messages. */
  readonly id: string;
  /** Problems with the architecture's own options (the shared ones are checked for it). */
  check(options: Options): readonly OptionsIssue[];
  build(scope: LayerScope, options: Options): Forward;
}

/** A positive safe integer. */
export const isPositiveInteger = (value: number) => Number.isSafeInteger(value) && value > 0;

/** Issues for the given integer options (width, depth, …) that are set and not positive integers. */
export function checkPositiveIntegers(fields: Readonly<Record<string, number | undefined>>): OptionsIssue[] {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined && !isPositiveInteger(value))
    .map(([path, value]) => ({ path, message: `must be a positive integer, got ${value}` }));
}

/** The checks of `ArchitectureOptions`, shared by every architecture. */
export function checkArchitectureOptions(options: ArchitectureOptions): OptionsIssue[] {
  const { numClasses, inputShape, normalization } = options;
  const issues: OptionsIssue[] = [];
  if (!isPositiveInteger(numClasses)) issues.push({ path: 'numClasses', message: `must be a positive integer, got ${numClasses}` });
  if (inputShape.length !== 3 || !inputShape.every(isPositiveInteger)) {
    issues.push({ path: 'inputShape', message: `must be [height, width, channels] of positive integers, got [${inputShape.join(', ')}]` });
  }
  if (normalization !== undefined) {
    const channels = inputShape[2];
    for (const field of ['mean', 'std'] as const) {
      const values = normalization[field];
      if (values.length !== channels) {
        issues.push({ path: `normalization.${field}`, message: `must have one value per input channel (${channels}), got ${values.length}` });
      }
      if (!values.every(Number.isFinite)) issues.push({ path: `normalization.${field}`, message: 'must be finite numbers' });
    }
    if (!normalization.std.every((value) => value > 0)) issues.push({ path: 'normalization.std', message: 'must be positive' });
  }
  return issues;
}
