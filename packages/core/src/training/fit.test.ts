import type { Attack, ClassKnobs, Dataset, FairnessStrategy, JsonValue, Model, NamedVariable, TrainingCallback, TrainingObjective } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import type { FitCheckpoint, FitOptions } from './fit-options.js';

// fit() on stand-ins small enough to follow by hand: a 1-feature linear model with 2 classes
// (logit_c = w_c·x + b_c), 4 samples in one batch, an attack that returns its inputs, plain
// cross-entropy on the adversarial logits. Expectations are computed below in plain arithmetic.

const xs = [1, 2, -1, 0.5];
const ys = [0, 1, 1, 0];
const start = { w: [0.3, -0.2], b: [0.1, 0] };

function linearModel(): Model {
  const weights = tf.variable(tf.tensor2d([start.w], [1, 2]));
  const bias = tf.variable(tf.tensor1d(start.b));
  const named: NamedVariable[] = [
    { name: 'w', variable: weights, trainable: true },
    { name: 'b', variable: bias, trainable: true },
  ];
  return {
    numClasses: 2,
    inputShape: [1, 1, 1],
    bounds: [-10, 10],
    logits: (inputs) => tf.tidy(() => tf.add(tf.matMul(tf.reshape(inputs, [inputs.shape[0], 1]), weights), bias) as tf.Tensor2D),
    trainableVariables: () => [weights, bias],
    namedVariables: () => named,
    dispose: () => {
      weights.dispose();
      bias.dispose();
    },
  };
}

const dataset: Dataset = {
  specificationVersion: 'v1',
  id: 'four-points',
  numClasses: 2,
  inputShape: [1, 1, 1],
  size: (split) => (split === 'train' ? xs.length : 0),
  labels: (split) => (split === 'train' ? ys : []),
  async *batches(split) {
    if (split !== 'train') return;
    yield { inputs: tf.tensor4d(xs, [4, 1, 1, 1]), labels: tf.tensor1d(ys, 'float32') };
  },
};

const unchanged: Attack = { specificationVersion: 'v1', id: 'unchanged', norm: 'linf', perturb: ({ inputs }) => tf.clone(inputs) };

const crossEntropy: TrainingObjective = {
  specificationVersion: 'v1',
  id: 'cross-entropy',
  coefficients: { natural: 0, robust: 1 },
  forwardOrder: 'adversarial-first',
  needsNaturalLogits: false,
  loss: ({ labels, student }) =>
    tf.tidy(() => {
      const terms = tf.neg(tf.sum(tf.mul(tf.oneHot(tf.cast(labels, 'int32'), 2), tf.logSoftmax(student.adversarial)), 1)) as tf.Tensor1D;
      return { natural: tf.zerosLike(terms), robust: terms };
    }),
};

const fixedKnobs = (knobs: ClassKnobs): FairnessStrategy => ({
  specificationVersion: 'v1',
  id: 'fixed',
  requires: { split: 'train', signals: [] },
  init: () => 0,
  update: (state) => (state as number) + 1,
  knobs: () => knobs,
});

const options = (model: Model, extra: Partial<FitOptions> = {}): FitOptions => ({
  model,
  dataset,
  attack: unchanged,
  objective: crossEntropy,
  fairness: fixedKnobs({ robustWeight: [0.5, 2] }),
  epochs: 1,
  batchSize: 4,
  epsilon: 0,
  optimizer: { learningRate: 0.1, momentum: 0, weightDecay: 0, nesterov: false },
  schedule: { type: 'constant' },
  seed: 0,
  ...extra,
});

/** Softmax probabilities of sample i under weights (w, b), in double precision. */
function probabilities(w: readonly number[], b: readonly number[], x: number): number[] {
  const logits = [w[0]! * x + b[0]!, w[1]! * x + b[1]!];
  const top = Math.max(...logits);
  const exps = logits.map((logit) => Math.exp(logit - top));
  const sum = exps[0]! + exps[1]!;
  return exps.map((value) => value / sum);
}

describe(fit, () => {
  it('takes one SGD step on the class-weighted mean cross-entropy, and records the epoch by hand', async () => {
    const weight = [0.5, 2]; // robustWeight per class
    // loss = (1/4) Σ r[y_i]·CE_i; ∂loss/∂w_c = (1/4) Σ r[y_i]·(p_ic − [y_i = c])·x_i, ∂/∂b_c likewise without x_i.
    let loss = 0;
    const gradientW = [0, 0];
    const gradientB = [0, 0];
    const errors = [0, 0];
    xs.forEach((x, i) => {
      const y = ys[i]!;
      const p = probabilities(start.w, start.b, x);
      loss += (weight[y]! * -Math.log(p[y]!)) / 4;
      for (const c of [0, 1]) {
        const residual = p[c]! - (c === y ? 1 : 0);
        gradientW[c]! += (weight[y]! * residual * x) / 4;
        gradientB[c]! += (weight[y]! * residual) / 4;
      }
      if (p[y]! < p[1 - y]!) errors[y]! += 1;
    });
    const model = linearModel();
    const seen: { start?: unknown; end?: unknown } = {};
    const recorder: TrainingCallback = {
      id: 'recorder',
      onEpochStart: ({ knobs, learningRate }) => void (seen.start = { knobs, learningRate }),
      onEpochEnd: ({ record, metrics }) => void (seen.end = { record, metrics }),
    };
    const result = await fit(options(model, { callbacks: [recorder], recordSignals: ['robust-error'] }));
    const [w, b] = model.trainableVariables().map((variable) => Array.from(variable.dataSync()));
    w!.forEach((value, c) => expect(value).toBeCloseTo(start.w[c]! - 0.1 * gradientW[c]!, 6));
    b!.forEach((value, c) => expect(value).toBeCloseTo(start.b[c]! - 0.1 * gradientB[c]!, 6));
    const [record] = result.epochs;
    expect(record?.meanLoss).toBeCloseTo(loss, 6);
    expect(record?.statistics.count).toEqual([2, 2]);
    expect(record?.statistics.sums['robust-error']).toEqual(errors);
    expect(record?.knobs).toEqual({ robustWeight: [0.5, 2] });
    expect(record?.strategyState).toBe(1); // init 0, one update
    expect(seen.start).toEqual({ knobs: { robustWeight: [0.5, 2] }, learningRate: 0.1 });
    // onEpochEnd receives the very record results keep, knobs included
    expect(seen.end).toEqual({ record, metrics: { loss: record?.meanLoss, learningRate: 0.1 } });
    model.dispose();
  });

  it('calls onTrainEnd once, after the last onEpochEnd, also when a callback stops training', async () => {
    const model = linearModel();
    const calls: string[] = [];
    const stopper: TrainingCallback = {
      id: 'stopper',
      onEpochEnd: ({ epoch }, control) => {
        calls.push(`end ${epoch}`);
        if (epoch === 1) control.stop('enough');
      },
      onTrainEnd: () => void calls.push('train end'),
    };
    const result = await fit(options(model, { epochs: 4, callbacks: [stopper] }));
    expect(calls).toEqual(['end 0', 'end 1', 'train end']);
    expect(result.stopped).toBe('enough');
    expect(result.epochs.map((epoch) => epoch.epoch)).toEqual([0, 1]);
    model.dispose();
  });

  it("checkpoints each callback's state under its id and hands it back to restore on resume", async () => {
    const counter = (): TrainingCallback & { epochs: number; restored: JsonValue[] } => {
      const callback = {
        id: 'counter',
        epochs: 0,
        restored: [] as JsonValue[],
        onEpochEnd: () => void (callback.epochs += 1),
        state: (): JsonValue => ({ epochs: callback.epochs }),
        restore: (state: JsonValue) => {
          callback.restored.push(state);
          callback.epochs = (state as { epochs: number }).epochs;
        },
      };
      return callback;
    };
    const saved: FitCheckpoint[] = [];
    const first = counter();
    const model = linearModel();
    await fit(options(model, { epochs: 2, callbacks: [first], checkpoint: { save: async (checkpoint) => void saved.push(checkpoint) } }));
    expect(saved.map((checkpoint) => [checkpoint.completedEpochs, checkpoint.callbackStates])).toEqual([
      [1, { counter: { epochs: 1 } }],
      [2, { counter: { epochs: 2 } }],
    ]);
    const second = counter();
    const resumedModel = linearModel();
    const resumed = await fit(options(resumedModel, { epochs: 3, callbacks: [second], resumeFrom: saved[0]! }));
    expect(second.restored).toEqual([{ epochs: 1 }]);
    expect(second.epochs).toBe(3); // restored 1, then epochs 1 and 2
    expect(resumed.epochs.map((epoch) => epoch.epoch)).toEqual([0, 1, 2]);
    model.dispose();
    resumedModel.dispose();
  });
});
