import type { Attack, AttackObjective, Model, ModelMode } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectNoTensorLeak } from '../leak/expect-no-tensor-leak.js';
import { createAttackFixture, type AttackFixtureClasses } from './attack-fixture.js';
import { recordTrainingFlags } from './record-training-flags.js';

/** Options of {@link describeAttack}. */
export interface DescribeAttackOptions {
  /** The model mode the attack under test was configured with (default 'eval'). */
  readonly modelMode?: ModelMode;
  /** Seed of the requests (default 7). */
  readonly seed?: number;
  /** Slack for float32 rounding in the ε-ball check (default 1e-6). */
  readonly tolerance?: number;
  /** Classes of the fixture model: 3 (default) or 5, for attacks that need ≥ 4 classes (targeted DLR). */
  readonly classes?: AttackFixtureClasses;
  /**
   * Whether the attack maximises `request.objective` (default true). Minimum-norm attacks with a
   * fixed criterion (FAB-T: the decision boundary) declare false; the suite then checks that a
   * given objective is ignored without leaking.
   */
  readonly usesObjective?: boolean;
}

/**
 * The attack conformance suite (HOUSE-STYLE B8): every built-in and third-party attack runs it.
 * It checks, on a 3-class (or 5-class) linear model with a different ε per class (one class has
 * ε = 0), that the result has the input's shape, stays inside the model's bounds and each
 * sample's own ε ball (in the attack's `norm`: L∞ per pixel, L2 over the whole perturbation),
 * does not mutate or dispose the request's tensors, is deterministic for a seed, leaks no
 * tensor, uses `request.objective` when given, and calls the model in the configured mode only
 * (eval: batch-norm state untouched).
 *
 * @param makeAttack builds a fresh attack for each test.
 */
export function describeAttack(name: string, makeAttack: () => Attack, options: DescribeAttackOptions = {}): void {
  const seed = options.seed ?? 7;
  const tolerance = options.tolerance ?? 1e-6;
  const modelMode = options.modelMode ?? 'eval';
  const classes = options.classes ?? 3;
  const fixtureFor = (fixtureSeed: number, wrapModel?: (model: Model) => Model) =>
    createAttackFixture(fixtureSeed, wrapModel, classes);

  describe(`attack conformance: ${name}`, () => {
    it('returns a float32 tensor with the shape of the inputs', () => {
      const fixture = fixtureFor(seed);
      const adversarial = makeAttack().perturb(fixture.request);
      expect(adversarial.shape).toEqual(fixture.request.inputs.shape);
      expect(adversarial.dtype).toBe('float32');
      expect(adversarial).not.toBe(fixture.request.inputs);
      adversarial.dispose();
      fixture.dispose();
    });

    it("stays inside the model's bounds and inside each sample's own ε ball", () => {
      const fixture = fixtureFor(seed);
      const [lower, upper] = fixture.model.bounds;
      const attack = makeAttack();
      const adversarial = attack.perturb(fixture.request);
      const original = fixture.request.inputs.arraySync();
      const epsilon = fixture.request.epsilon.arraySync();
      const result = adversarial.arraySync();
      adversarial.dispose();
      fixture.dispose();
      result.flat(3).forEach((value) => {
        expect(value).toBeGreaterThanOrEqual(lower);
        expect(value).toBeLessThanOrEqual(upper);
      });
      result.forEach((sample, index) => {
        const radius = epsilon[index] ?? Number.NaN;
        const before = original[index]?.flat(2) ?? [];
        const deltas = sample.flat(2).map((value, pixel) => value - (before[pixel] ?? Number.NaN));
        // L∞: every pixel within ε; L2: the whole perturbation's Euclidean length within ε
        const length = attack.norm === 'l2' ? Math.hypot(...deltas) : Math.max(0, ...deltas.map(Math.abs));
        expect(length).toBeLessThanOrEqual(radius + tolerance);
      });
    });

    it("neither mutates nor disposes the request's tensors", () => {
      const fixture = fixtureFor(seed);
      const { inputs, labels, epsilon } = fixture.request;
      const before = [inputs.arraySync(), labels.arraySync(), epsilon.arraySync()];
      makeAttack().perturb(fixture.request).dispose();
      expect([inputs.isDisposed, labels.isDisposed, epsilon.isDisposed]).toEqual([false, false, false]);
      expect([inputs.arraySync(), labels.arraySync(), epsilon.arraySync()]).toEqual(before);
      expect(fixture.model.trainableVariables().some((variable) => variable.isDisposed)).toBe(false);
      fixture.dispose();
    });

    it('gives identical results for the same seed', () => {
      const fixture = fixtureFor(seed);
      const first = makeAttack().perturb(fixture.request);
      const second = makeAttack().perturb(fixture.request);
      expect(second.arraySync()).toEqual(first.arraySync());
      tf.dispose([first, second]);
      fixture.dispose();
    });

    it('leaves no tensor alive besides its result', async () => {
      const fixture = fixtureFor(seed);
      const attack = makeAttack();
      await expectNoTensorLeak(() => attack.perturb(fixture.request).dispose(), `${name}.perturb`);
      fixture.dispose();
    });

    it(options.usesObjective ?? true ? 'maximises request.objective when one is given, without leaking' : 'ignores request.objective (fixed criterion), without leaking', async () => {
      const fixture = fixtureFor(seed);
      let calls = 0;
      const objective: AttackObjective = (logits, labels) => {
        calls++;
        return tf.tidy(() => tf.neg(tf.sum(tf.mul(tf.oneHot(labels, logits.shape[1]), tf.logSoftmax(logits)), 1)) as tf.Tensor1D);
      };
      const attack = makeAttack();
      await expectNoTensorLeak(() => attack.perturb({ ...fixture.request, objective }).dispose(), `${name}.perturb`);
      if (options.usesObjective ?? true) expect(calls).toBeGreaterThan(0);
      else expect(calls).toBe(0);
      fixture.dispose();
    });

    it(`calls the model with training: ${modelMode === 'train'} only (${modelMode} mode)`, () => {
      let recorded: readonly boolean[] = [];
      const fixture = fixtureFor(seed, (model) => {
        const recorder = recordTrainingFlags(model);
        recorded = recorder.flags;
        return recorder.model;
      });
      makeAttack().perturb(fixture.request).dispose();
      fixture.dispose();
      expect(recorded.length).toBeGreaterThan(0);
      expect(new Set(recorded)).toEqual(new Set([modelMode === 'train']));
    });
  });
}
