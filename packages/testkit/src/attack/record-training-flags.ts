import type { Model } from '@robustfair/spec';

/** A model double and the `training` flag of every forward pass made through it. */
export interface TrainingFlagRecorder {
  readonly model: Model;
  /** One entry per `logits` call, in call order. */
  readonly flags: readonly boolean[];
}

/**
 * Wraps a model so tests can check the batch-norm mode an attack uses: eval mode must call
 * `logits` with `training: false` only, so running statistics stay untouched. Disposing the
 * wrapper disposes the wrapped model.
 */
export function recordTrainingFlags(model: Model): TrainingFlagRecorder {
  const flags: boolean[] = [];
  const recording: Model = {
    numClasses: model.numClasses,
    inputShape: model.inputShape,
    bounds: model.bounds,
    logits: (inputs, options) => {
      flags.push(options.training);
      return model.logits(inputs, options);
    },
    trainableVariables: () => model.trainableVariables(),
    namedVariables: () => model.namedVariables(),
    dispose: () => model.dispose(),
  };
  return { model: recording, flags };
}
