import type { CallbackContext, EpochEndEvent, RobustAccuracy, TrainingCallback } from '@robustfair/spec';
import { describe, expect, it } from 'vitest';
import { createCheckpointSelection } from './checkpoint-selection.js';
import { snapshotFromJson, snapshotToJson } from './snapshot-json.js';
import { createWeightAveraging } from './weight-averaging.js';

/**
 * A context whose "model" is one weight array that the test sets per epoch, and whose probe
 * returns scripted accuracies per epoch: every expectation below follows from these by hand.
 */
function fakeContext(accuracies: Readonly<Record<number, RobustAccuracy>>) {
  const model = { weights: [Float32Array.from([0, 0])] };
  const measured: { split: string; epoch: number; purpose: string; attack: unknown; role: string }[] = [];
  const context: CallbackContext = {
    seed: 0,
    weights: {
      capture: async () => model.weights.map((values) => values.slice()),
      restore: (snapshot) => {
        model.weights = snapshot.map((values) => values.slice());
      },
    },
    robustAccuracyProbe: (attack, role) => ({
      attack: String(attack),
      measure: async ({ split, epoch, purpose }) => {
        measured.push({ split, epoch, purpose, attack, role });
        const accuracy = accuracies[epoch];
        if (!accuracy) throw new Error(`no accuracy scripted for epoch ${epoch}`);
        return accuracy;
      },
    }),
  };
  return { model, measured, context };
}

const control = { stop: () => undefined };
/** Runs epochs `from`..`to`-1 of a callback, the model's weights being [e+1, 2(e+1)] in epoch e. */
async function runEpochs(callback: TrainingCallback, model: { weights: Float32Array[] }, from: number, to: number): Promise<void> {
  for (let epoch = from; epoch < to; epoch++) {
    model.weights = [Float32Array.from([epoch + 1, 2 * (epoch + 1)])];
    await callback.onEpochEnd?.({ epoch } as EpochEndEvent, control);
  }
}

const selectionOptions = { rule: 'average-plus-worst' as const, split: 'validation' as const, attack: 'pgd20', every: 1, fromEpoch: 1 };
// scores (average + worst): epoch 1: 0.9, epoch 2: 1.0, epoch 3: 0.8
const scripted = { 1: { average: 0.5, worstClass: 0.4 }, 2: { average: 0.6, worstClass: 0.4 }, 3: { average: 0.5, worstClass: 0.3 } };

describe(createCheckpointSelection, () => {
  it('scores epochs from fromEpoch on and ends training with the best epoch’s weights', async () => {
    const { model, measured, context } = fakeContext(scripted);
    const selection = createCheckpointSelection(selectionOptions, context);
    await runEpochs(selection, model, 0, 4);
    expect(measured.map(({ epoch, purpose, role, split }) => [epoch, purpose, role, split])).toEqual([1, 2, 3].map((epoch) => [epoch, 'selection', 'selection', 'validation']));
    expect(selection.record.scores.map(({ epoch, score }) => [epoch, score])).toEqual([
      [1, 0.5 + 0.4],
      [2, 0.6 + 0.4],
      [3, 0.5 + 0.3],
    ]);
    expect(selection.record.chosenEpoch).toBe(2);
    await selection.onTrainEnd?.();
    expect(Array.from(model.weights[0]!)).toEqual([3, 6]); // epoch 2's weights
  });

  it("'last' measures nothing and leaves the weights alone", async () => {
    const { model, measured, context } = fakeContext({});
    const selection = createCheckpointSelection({ ...selectionOptions, rule: 'last' }, context);
    await runEpochs(selection, model, 0, 2);
    await selection.onTrainEnd?.();
    expect(measured).toEqual([]);
    expect(Array.from(model.weights[0]!)).toEqual([2, 4]);
  });

  it('resumes from its JSON state exactly where an uninterrupted run would be', async () => {
    const first = fakeContext(scripted);
    const interrupted = createCheckpointSelection(selectionOptions, first.context);
    await runEpochs(interrupted, first.model, 0, 3); // best so far: epoch 2
    const state = JSON.parse(JSON.stringify(interrupted.state?.())) as unknown;
    const second = fakeContext(scripted);
    const resumed = createCheckpointSelection(selectionOptions, second.context);
    resumed.restore?.(state as never);
    await runEpochs(resumed, second.model, 3, 4);
    await resumed.onTrainEnd?.();
    expect(resumed.record.scores.map(({ epoch }) => epoch)).toEqual([1, 2, 3]);
    expect(resumed.record.chosenEpoch).toBe(2);
    expect(Array.from(second.model.weights[0]!)).toEqual([3, 6]);
    expect(() => resumed.restore?.({ scores: 'no' })).toThrow(/checkpoint state of callback 'checkpoint-selection' is damaged/);
  });
});

describe(createWeightAveraging, () => {
  const options = { kind: 'ema' as const, decay: 0.5, threshold: 0.3, attack: 'pgd20' };

  it('ema: average ← 0.5·average + 0.5·weights after every epoch, written back at the end', async () => {
    const { model, measured, context } = fakeContext({});
    const averaging = createWeightAveraging(options, context);
    await runEpochs(averaging, model, 0, 3);
    await averaging.onTrainEnd?.();
    // weights 1, 2, 3 (first column): 1 → 0.5·1 + 0.5·2 = 1.5 → 0.5·1.5 + 0.5·3 = 2.25
    expect(Array.from(model.weights[0]!)).toEqual([2.25, 4.5]);
    expect(averaging.record.updates).toEqual([0, 1, 2]);
    expect(measured).toEqual([]);
  });

  it('fawa: only epochs whose worst validation class reaches the threshold enter the average', async () => {
    const { model, measured, context } = fakeContext({ 0: { average: 0.5, worstClass: 0.2 }, 1: { average: 0.5, worstClass: 0.3 }, 2: { average: 0.5, worstClass: 0.35 } });
    const averaging = createWeightAveraging({ ...options, kind: 'fawa' }, context);
    await runEpochs(averaging, model, 0, 3);
    await averaging.onTrainEnd?.();
    expect(measured.map(({ epoch, split, role, purpose }) => [epoch, split, role, purpose])).toEqual([0, 1, 2].map((epoch) => [epoch, 'validation', 'averaging', 'averaging']));
    expect(averaging.record.worstClass).toEqual([
      { epoch: 0, accuracy: 0.2 },
      { epoch: 1, accuracy: 0.3 },
      { epoch: 2, accuracy: 0.35 },
    ]);
    expect(averaging.record.updates).toEqual([1, 2]);
    // epochs 1 and 2 (weights 2 and 3): 2 → 0.5·2 + 0.5·3 = 2.5
    expect(Array.from(model.weights[0]!)).toEqual([2.5, 5]);
  });

  it('resumes from its JSON state with the same average', async () => {
    const first = fakeContext({});
    const interrupted = createWeightAveraging(options, first.context);
    await runEpochs(interrupted, first.model, 0, 2);
    const state = JSON.parse(JSON.stringify(interrupted.state?.())) as unknown;
    const second = fakeContext({});
    const resumed = createWeightAveraging(options, second.context);
    resumed.restore?.(state as never);
    await runEpochs(resumed, second.model, 2, 3);
    await resumed.onTrainEnd?.();
    expect(Array.from(second.model.weights[0]!)).toEqual([2.25, 4.5]);
    expect(resumed.record.updates).toEqual([0, 1, 2]);
  });
});

describe(snapshotToJson, () => {
  it('round-trips float32 values exactly, including ones a decimal print would round', () => {
    const snapshot = [Float32Array.from([0.1, -3.4028234663852886e38, 1e-45]), new Float32Array(0)];
    expect(snapshotFromJson(JSON.parse(JSON.stringify(snapshotToJson(snapshot))), 'x')).toEqual(snapshot);
    expect(() => snapshotFromJson(['AAA='], 'x')).toThrow(/x\[0\]: 2 bytes/);
    expect(() => snapshotFromJson('AAAA', 'x')).toThrow(/expected an array/);
  });
});
