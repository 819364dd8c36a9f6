// tfjs-core alone registers no gradients; until the shared test setup does, tests that differentiate import them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { createAttackFixture, createLinearModel, describeAttack, recordTrainingFlags } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createPgdAttack } from './pgd-attack.js';

describeAttack('pgd (uniform start)', () => createPgdAttack({ steps: 3, stepSize: 0.02 }));
describeAttack('pgd (gaussian start)', () => createPgdAttack({ steps: 3, stepSize: 0.02, init: 'gaussian' }));
describeAttack('pgd (train mode)', () => createPgdAttack({ steps: 2, stepSize: 0.02, modelMode: 'train' }), { modelMode: 'train' });

describe(createPgdAttack, () => {
  it('has the defaults of docs/methods/sat.md (10 steps of 2/255 from a uniform start, eval mode)', () => {
    let flags: readonly boolean[] = [];
    const fixture = createAttackFixture(3, (model) => {
      const recording = recordTrainingFlags(model);
      flags = recording.flags;
      return recording.model;
    });
    createPgdAttack().perturb(fixture.request).dispose();
    // one forward per step, all in eval mode
    expect(flags).toEqual(Array.from({ length: 10 }, () => false));
    fixture.dispose();
  });

  it("passes training: true to the model in 'train' mode", () => {
    let flags: readonly boolean[] = [];
    const fixture = createAttackFixture(3, (model) => {
      const recording = recordTrainingFlags(model);
      flags = recording.flags;
      return recording.model;
    });
    createPgdAttack({ steps: 2, modelMode: 'train' }).perturb(fixture.request).dispose();
    expect(flags).toEqual([true, true]);
    fixture.dispose();
  });

  it('takes one step of stepSize against the gradient sign from a start without noise', () => {
    // 1 pixel, 2 classes, label 0: ∂CE/∂x = −(1 − p_0)(w_0 − w_1) = −(1 − p_0)·(1 − (−1)) < 0, so x moves down
    const model = createLinearModel({ weights: [[1, -1]], bias: [0, 0], inputShape: [1, 1, 1] });
    const inputs = tf.tensor4d([0.5], [1, 1, 1, 1]);
    const labels = tf.tensor1d([0], 'int32');
    const epsilon = tf.tensor1d([0.1]);
    const adversarial = createPgdAttack({ steps: 1, stepSize: 0.03, init: 'none' }).perturb({ model, inputs, labels, epsilon, seed: 0 });
    expect(adversarial.dataSync()[0]).toBeCloseTo(0.47, 6);
    // more steps than the ball allows stop at its edge, x − ε
    const saturated = createPgdAttack({ steps: 5, stepSize: 0.03, init: 'none' }).perturb({ model, inputs, labels, epsilon, seed: 0 });
    expect(saturated.dataSync()[0]).toBeCloseTo(0.4, 6);
    tf.dispose([inputs, labels, epsilon, adversarial, saturated]);
    model.dispose();
  });

  it('steps by relativeStepSize × the largest ε of the batch (FRL-Reweight+Remargin: max ε / 4)', () => {
    // Two samples, label 0, both move down (see above). ε = [0.08, 0.2]: step 0.25·0.2 = 0.05 for
    // both, so sample 0 ends at 0.5 − 0.05 = 0.45, sample 1 at 0.45 too (inside its ball).
    // A third call with ε = [0.08, 0.08] steps by 0.02.
    const model = createLinearModel({ weights: [[1, -1]], bias: [0, 0], inputShape: [1, 1, 1] });
    const inputs = tf.tensor4d([0.5, 0.5], [2, 1, 1, 1]);
    const labels = tf.tensor1d([0, 0], 'int32');
    const wide = tf.tensor1d([0.08, 0.2]);
    const narrow = tf.tensor1d([0.08, 0.08]);
    const attack = createPgdAttack({ steps: 1, stepSize: 0.03, relativeStepSize: 0.25, init: 'none' });
    const first = attack.perturb({ model, inputs, labels, epsilon: wide, seed: 0 });
    const second = attack.perturb({ model, inputs, labels, epsilon: narrow, seed: 0 });
    expect(Array.from(first.dataSync())).toEqual([expect.closeTo(0.45, 6), expect.closeTo(0.45, 6)]);
    expect(Array.from(second.dataSync())).toEqual([expect.closeTo(0.48, 6), expect.closeTo(0.48, 6)]);
    tf.dispose([inputs, labels, wide, narrow, first, second]);
    model.dispose();
  });

  it('uses request.objective instead of its own cross-entropy', () => {
    // maximising −CE moves towards the label: x goes up instead of down
    const model = createLinearModel({ weights: [[1, -1]], bias: [0, 0], inputShape: [1, 1, 1] });
    const inputs = tf.tensor4d([0.5], [1, 1, 1, 1]);
    const labels = tf.tensor1d([0], 'int32');
    const epsilon = tf.tensor1d([0.1]);
    const adversarial = createPgdAttack({ steps: 1, stepSize: 0.03, init: 'none' }).perturb({
      model,
      inputs,
      labels,
      epsilon,
      seed: 0,
      objective: (logits, targets) => tf.tidy(() => tf.sum(tf.mul(tf.oneHot(targets, 2), tf.logSoftmax(logits)), 1) as tf.Tensor1D),
    });
    expect(adversarial.dataSync()[0]).toBeCloseTo(0.53, 6);
    tf.dispose([inputs, labels, epsilon, adversarial]);
    model.dispose();
  });

  it('draws a different random start for a different seed', () => {
    const fixture = createAttackFixture(1);
    const attack = createPgdAttack({ steps: 1, stepSize: 0.001 });
    const first = attack.perturb(fixture.request);
    const second = attack.perturb({ ...fixture.request, seed: 2 });
    expect(second.arraySync()).not.toEqual(first.arraySync());
    tf.dispose([first, second]);
    fixture.dispose();
  });

  it('keeps peak memory independent of the number of steps', async () => {
    const fixture = createAttackFixture(5);
    const peakBytes = async (steps: number) => {
      const profile = await tf.profile(() => createPgdAttack({ steps, stepSize: 0.01 }).perturb(fixture.request));
      tf.dispose(profile.result);
      return profile.peakBytes;
    };
    expect(await peakBytes(8)).toBe(await peakBytes(2));
    fixture.dispose();
  });

  it('rejects a step count below 1 and a mis-shaped epsilon', () => {
    expect(() => createPgdAttack({ steps: 0 })).toThrow(RangeError);
    const fixture = createAttackFixture(5);
    const epsilon = tf.tensor1d([0.1]);
    expect(() => createPgdAttack({ steps: 1 }).perturb({ ...fixture.request, epsilon })).toThrow(/epsilon must have shape \[6\]/);
    epsilon.dispose();
    fixture.dispose();
  });
});
