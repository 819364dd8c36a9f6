import { createPgdAttack } from '@robustfair/attacks';
import { fit, type FitOptions } from '@robustfair/core';
import { createSyntheticDataset } from '@robustfair/datasets';
import { createSatObjective } from '@robustfair/distillers';
import { createIdentityStrategy } from '@robustfair/fairness-strategies';
import { createSmallCnn } from '@robustfair/models';
import { TrainingDivergedError } from '@robustfair/spec';
import { expectNoTensorLeak } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

// Issue 13 item 7: a diverged run stops with the epoch and batch named, instead of finishing
// "successfully" with a NaN loss and "100 % class 0".

const dataset = createSyntheticDataset({ numClasses: 3, imageSize: 6, trainPerClass: 8, validationPerClass: 0, testPerClass: 0 });
const newModel = () => createSmallCnn({ numClasses: 3, inputShape: [6, 6, 3], width: 2, seed: 5 });
const options = (model: ReturnType<typeof newModel>, learningRate: number, overrides: Partial<FitOptions> = {}): FitOptions => ({
  model,
  dataset,
  attack: createPgdAttack({ steps: 1, stepSize: 2 / 255 }),
  objective: createSatObjective(),
  fairness: createIdentityStrategy(),
  epochs: 3,
  batchSize: 4, // 6 batches per epoch
  epsilon: 8 / 255,
  optimizer: { learningRate, momentum: 0.9, weightDecay: 0, nesterov: false },
  schedule: { type: 'constant' },
  seed: 3,
  ...overrides,
});
const weightsOf = (model: ReturnType<typeof newModel>) => model.namedVariables().map(({ variable }) => Array.from(variable.dataSync()));

/** Losses read back every batch by a callback, the reference for where the first non-finite one is. */
function lossRecorder() {
  const losses: { epoch: number; batch: number; loss: number }[] = [];
  return { losses, callback: { id: 'losses', onBatchEnd: ({ epoch, batch, loss }: { epoch: number; batch: number; loss?: number }) => void losses.push({ epoch, batch, loss: loss ?? 0 }) } };
}

describe('fit() on a diverging run', () => {
  it('fails on a learning rate of 1e10 at the first non-finite loss, else at the non-finite weights of that epoch', async () => {
    const model = newModel();
    const { losses, callback } = lossRecorder();
    let error: unknown;
    await expectNoTensorLeak(async () => {
      error = await fit(options(model, 1e10, { logEvery: 1, callbacks: [callback] })).then(() => undefined, (caught: unknown) => caught);
    }, 'diverging fit');
    expect(error).toBeInstanceOf(TrainingDivergedError);
    // The reference: every batch loss read back by the callback, and the weights the run left.
    const first = losses.find(({ loss }) => !Number.isFinite(loss));
    const last = losses.at(-1)!;
    const expected = first ? { epoch: first.epoch, batch: first.batch, what: 'loss' } : { epoch: last.epoch, what: 'weights' };
    if (!first) expect(weightsOf(model).flat().every(Number.isFinite)).toBe(false);
    expect((error as TrainingDivergedError).divergence).toEqual(expected);
    expect((error as Error).message).toMatch(new RegExp(`^training diverged in epoch ${expected.epoch + 1}${first ? `, batch ${first.batch + 1}` : ''}: `));
    model.dispose();
  });

  it('fails in epoch 1, batch 1 when the model starts with a NaN weight (a NaN teacher or resumed weights)', async () => {
    const model = newModel();
    const [first] = model.namedVariables();
    first!.variable.assign(tf.mul(first!.variable, Number.NaN));
    await expect(fit(options(model, 0.01))).rejects.toThrow(/training diverged in epoch 1, batch 1: the training loss is not finite/);
    model.dispose();
  });

  it("under 'stop', keeps the weights of the diverged epoch's start and reports where it stopped", async () => {
    // Epoch 0 at 0.01 stays finite; the step to 1e12 from epoch 1 diverges.
    const schedule = { type: 'multistep' as const, milestones: [1], factor: 1e14 };
    const reference = newModel();
    const stopAfterFirst = { id: 'stop', onEpochEnd: (_: unknown, control: { stop(reason: string): void }) => control.stop('reference') };
    await fit(options(reference, 0.01, { schedule, callbacks: [stopAfterFirst] }));

    const model = newModel();
    let result: Awaited<ReturnType<typeof fit>> | undefined;
    await expectNoTensorLeak(async () => {
      result = await fit(options(model, 0.01, { schedule, onNonFinite: 'stop' }));
    }, 'stopped fit');
    expect(result!.epochs.map(({ epoch }) => epoch)).toEqual([0]);
    expect(result!.diverged?.epoch).toBe(1);
    expect(result!.stopped).toMatch(/^training diverged in epoch 2[:,]/);
    expect(weightsOf(model)).toEqual(weightsOf(reference));
    expect(weightsOf(model).flat().every(Number.isFinite)).toBe(true);
    reference.dispose();
    model.dispose();
  });

  it('leaves a finite run untouched: same weights with and without a per-batch loss read-back', async () => {
    const read = newModel();
    const unread = newModel();
    const { callback } = lossRecorder();
    const withReads = await fit(options(read, 0.01, { logEvery: 1, callbacks: [callback] }));
    const without = await fit(options(unread, 0.01));
    expect(withReads.diverged).toBeUndefined();
    expect(withReads.epochs.map(({ meanLoss }) => meanLoss)).toEqual(without.epochs.map(({ meanLoss }) => meanLoss));
    expect(weightsOf(read)).toEqual(weightsOf(unread));
    read.dispose();
    unread.dispose();
  });
});
