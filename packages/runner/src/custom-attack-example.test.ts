import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Attack, Model } from '@robustfair/spec';
import { createAttackFixture, createLinearModel, describeAttack, expectNoTensorLeak } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseExperimentSpec, type LoadedConfig } from './config/load-config.js';
import { loadOutsidePlugins } from './config/load-outside-plugins.js';
import { createRootContainer } from './di/root-container.js';
import { specRegistries, validateSpecPlugins } from './di/validate-spec.js';
import { silentReporter } from './progress/progress-reporter.js';
import { runExperiments } from './run-experiments.js';
import { armsOf } from './run/prepare.js';
import { expandAblation, parseAxis } from './config/expand-ablation.js';

// examples/custom-attack: MI-FGSM written outside the packages and loaded from the config's
// `plugins`, as docs/contributing/adding-an-attack.md walks through. Loaded the way the runner
// loads it, so these tests check the example a user copies.
const configFile = fileURLToPath(new URL('../../../examples/custom-attack/robustfair.config.json', import.meta.url));
const config = await loadConfig(configFile);
const plugins = await loadOutsidePlugins(config.file, config.spec.plugins);
const plugin = plugins.find((descriptor) => descriptor.id === 'mi-fgsm');
if (!plugin || plugin.kind !== 'attack') throw new Error('examples/custom-attack/mi-fgsm.js must default-export the mi-fgsm attack plugin');
const miFgsm = (options: Record<string, unknown> = {}) => plugin.create(plugin.optionsSchema.parse(options), { seed: 0 }) as Attack;

describeAttack('mi-fgsm (examples/custom-attack)', () => miFgsm({ steps: 3 }));
describeAttack('mi-fgsm in train mode (examples/custom-attack)', () => miFgsm({ steps: 2, modelMode: 'train' }), { modelMode: 'train' });

describe('examples/custom-attack: the mi-fgsm plugin', () => {
  it('fills defaults (the paper: 10 steps, decay 1), reads "2/255" and rejects unknown or bad fields', () => {
    expect(plugin.optionsSchema.parse({})).toEqual({ steps: 10, decay: 1, modelMode: 'eval' });
    expect((plugin.optionsSchema.parse({ stepSize: '2/255' }) as { stepSize: number }).stepSize).toBe(2 / 255);
    for (const bad of [{ stepz: 3 }, { decay: -1 }, { steps: 0 }, { stepSize: 8 }]) expect(plugin.optionsSchema.safeParse(bad).success).toBe(false);
    expect([plugin.kind, miFgsm().id, miFgsm().norm, plugin.reference?.year]).toEqual(['attack', 'mi-fgsm', 'linf', 2018]);
  });

  describe('against a run computed by hand on a linear model', () => {
    // 2×2×1 inputs (4 pixels), 3 classes: logits = x·W + b, so ∇ₓ CE(x, y) = W·(softmax(x·W + b) − onehot(y)).
    const weights = [
      [-5.5, -4.5, -2.75],
      [0.5, 2.5, -3.75],
      [-2, -3, 4],
      [1.5, -2.5, 4.75],
    ];
    const bias = [3, 0, 0];
    const start = [0.5, 0.9375, 0.5, 0.125];
    // α = ε / steps = 1/16 and dyadic pixels: every iterate is exact in float32, so the
    // comparison below is exact, not approximate.
    const epsilon = 0.25;
    const steps = 4;

    /**
     * Dong et al.'s rule in float64: g ← μ·g + ∇/‖∇‖₁, x ← clip(x + α·sign(g)); `normalise: false`
     * drops the ‖∇‖₁ (a plausible bug). Also the smallest |g|/‖g‖₁ seen: a near-tie would be fragile.
     */
    function byHand(decay: number, normalise = true): { adversarial: number[]; margin: number } {
      const alpha = epsilon / steps;
      let x = [...start];
      let momentum = [0, 0, 0, 0];
      let margin = Infinity;
      for (let step = 0; step < steps; step++) {
        const logits = [0, 1, 2].map((k) => x.reduce((sum, pixel, j) => sum + pixel * weights[j]![k]!, bias[k]!));
        const exponentials = logits.map((value) => Math.exp(value - Math.max(...logits)));
        const probabilities = exponentials.map((value) => value / exponentials.reduce((a, b) => a + b, 0));
        const gradient = x.map((_, j) => probabilities.reduce((sum, p, k) => sum + (p - (k === 0 ? 1 : 0)) * weights[j]![k]!, 0));
        const l1 = normalise ? gradient.reduce((sum, value) => sum + Math.abs(value), 0) : 1;
        momentum = momentum.map((g, j) => decay * g + gradient[j]! / l1);
        const size = momentum.reduce((sum, value) => sum + Math.abs(value), 0);
        margin = Math.min(margin, ...momentum.map((value) => Math.abs(value) / size));
        x = x.map((pixel, j) => {
          const stepped = pixel + alpha * Math.sign(momentum[j]!);
          const inBall = Math.min(start[j]! + epsilon, Math.max(start[j]! - epsilon, stepped));
          return Math.min(1, Math.max(0, inBall));
        });
      }
      return { adversarial: x, margin };
    }

    it('ends exactly where the rule says; without momentum (decay 0) or without the L1 norm somewhere else', () => {
      const withMomentum = byHand(1);
      const withoutMomentum = byHand(0);
      const unnormalised = byHand(1, false);
      expect(Math.min(withMomentum.margin, withoutMomentum.margin, unnormalised.margin)).toBeGreaterThan(0.02);
      // Pixel 1 runs down to the ε-ball face 0.9375 − 0.25; pixel 3 starts at 2/16 and its
      // gradient changes sign on the way: only the normalised momentum takes it to the bound 0.
      expect(withMomentum.adversarial).toEqual([0.75, 0.6875, 0.75, 0]);
      expect(withoutMomentum.adversarial).toEqual([0.75, 0.6875, 0.75, 0.125]);
      expect(unnormalised.adversarial).toEqual([0.75, 0.6875, 0.75, 0.0625]);

      const model = createLinearModel({ weights, bias, inputShape: [2, 2, 1] });
      // A second sample with ε = 0 must not move.
      const inputs = tf.tensor4d([...start, ...start], [2, 2, 2, 1]);
      const labels = tf.tensor1d([0, 0], 'int32');
      const radius = tf.tensor1d([epsilon, 0]);
      const run = (options: Record<string, unknown>) => {
        const adversarial = miFgsm(options).perturb({ model, inputs, labels, epsilon: radius, seed: 0 });
        const values = Array.from(adversarial.dataSync());
        adversarial.dispose();
        return values;
      };
      expect(run({ steps, decay: 1 })).toEqual([...withMomentum.adversarial, ...start]);
      expect(run({ steps, decay: 0 })).toEqual([...withoutMomentum.adversarial, ...start]);
      // An explicit stepSize replaces ε / steps for every sample (the ε-ball still holds the second one).
      expect(run({ steps, decay: 1, stepSize: 1 / 16 })).toEqual([...withMomentum.adversarial, ...start]);
      tf.dispose([inputs, labels, radius]);
      model.dispose();
    });
  });

  it('leaves no tensor behind over many steps, nor when the model throws halfway', async () => {
    const fixture = createAttackFixture(3);
    await expectNoTensorLeak(() => miFgsm({ steps: 12 }).perturb(fixture.request).dispose(), 'mi-fgsm.perturb');
    let calls = 0;
    const failing: Model = {
      ...fixture.model,
      logits: (inputs, options) => {
        calls++;
        if (calls === 3) throw new Error('model failed');
        return fixture.model.logits(inputs, options);
      },
    };
    await expectNoTensorLeak(() => {
      expect(() => miFgsm({ steps: 5 }).perturb({ ...fixture.request, model: failing })).toThrow('model failed');
    }, 'mi-fgsm.perturb (throwing model)');
    fixture.dispose();
  });
});

describe('examples/custom-attack: the config', () => {
  it('validates: the outside attack is found and its options checked by its own schema', () => {
    const root = createRootContainer({ plugins, reporter: silentReporter });
    validateSpecPlugins(config.spec, specRegistries(root));
    const bad = parseExperimentSpec({ ...config.raw, evaluation: { attacks: [{ name: 'mi', attack: { id: 'mi-fgsm', options: { decay: -1 } } }] } });
    expect(() => validateSpecPlugins(bad, specRegistries(root))).toThrow(/evaluation\.attacks\.0\.attack\.options\.decay/);
  });

  it('can be ablated against PGD as the training attack (the guide\'s --axis trainingAttack.id=pgd,mi-fgsm)', () => {
    const root = createRootContainer({ plugins, reporter: silentReporter });
    const arms = armsOf({ ...config, compare: expandAblation([parseAxis('trainingAttack.id=pgd,mi-fgsm')]) });
    expect(arms.map((arm) => [arm.label, arm.spec.trainingAttack])).toEqual([
      ['pgd', { id: 'pgd', options: { steps: 5, stepSize: '2/255' } }],
      ['mi-fgsm', { id: 'mi-fgsm', options: { steps: 5, stepSize: '2/255' } }],
    ]);
    for (const arm of arms) validateSpecPlugins(arm.spec, specRegistries(root), `arm '${arm.label}'`);
  });

  it('evaluates a trained model under mi-fgsm next to the built-in attacks (CI size)', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'robustfair-custom-attack-'));
    try {
      const evaluation = config.raw['evaluation'] as { attacks: unknown[] };
      const raw = {
        ...config.raw,
        dataset: { id: 'synthetic', options: { numClasses: 4, imageSize: 8, trainPerClass: 12, validationPerClass: 0, testPerClass: 6 } },
        model: { id: 'small-cnn', options: { width: 2 } },
        trainingAttack: { id: 'pgd', options: { steps: 1 } },
        training: { epochs: 1, batchSize: 16 },
        evaluation: { batchSize: 24, attacks: evaluation.attacks.map((entry) => (entry === 'pgd20' ? { preset: 'pgd20', overrides: { steps: 2 } } : entry)) },
      };
      const small: LoadedConfig = { file: config.file, raw, spec: parseExperimentSpec(raw) };
      const result = await runExperiments(small, { out, reporter: silentReporter, backend: 'wasm' });
      const attacks = result.arms[0]!.evaluation.attacks;
      expect(Object.keys(attacks)).toEqual(expect.arrayContaining(['mi-fgsm', 'i-fgsm', 'worst-case']));
      for (const name of ['mi-fgsm', 'i-fgsm']) {
        // every test sample was attacked, and the per-sample worst case includes this attack
        expect(attacks[name]!.count.reduce((a, b) => a + b, 0)).toBe(24);
        expect(attacks['worst-case']!.average).toBeLessThanOrEqual(attacks[name]!.average);
      }
      expect(result.arms[0]!.resolvedOptions['trainingAttack']).toEqual({ id: 'pgd', options: expect.objectContaining({ steps: 1 }) });
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 300_000);
});
