import { isDeepStrictEqual } from 'node:util';
import type { Attack, AttackObjective, Model, ModelMode } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import type { ConformanceCheck } from '../fairness/fairness-strategy-checks.js';
import { expectNoTensorLeak } from '../leak/expect-no-tensor-leak.js';
import { createAttackFixture, type AttackFixtureClasses } from './attack-fixture.js';
import { recordTrainingFlags } from './record-training-flags.js';

/** Options of {@link attackChecks} and `describeAttack`. */
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

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/**
 * The attack conformance checks (HOUSE-STYLE B8) as plain functions; see `describeAttack` for
 * what they check. Each throws an Error saying what is wrong when it fails.
 *
 * @param makeAttack builds a fresh attack for each check.
 */
export function attackChecks(name: string, makeAttack: () => Attack, options: DescribeAttackOptions = {}): ConformanceCheck[] {
  const seed = options.seed ?? 7;
  const tolerance = options.tolerance ?? 1e-6;
  const modelMode = options.modelMode ?? 'eval';
  const classes = options.classes ?? 3;
  const usesObjective = options.usesObjective ?? true;
  const fixtureFor = (fixtureSeed: number, wrapModel?: (model: Model) => Model) => createAttackFixture(fixtureSeed, wrapModel, classes);

  return [
    {
      name: 'returns a float32 tensor with the shape of the inputs',
      run: () => {
        const fixture = fixtureFor(seed);
        const adversarial = makeAttack().perturb(fixture.request);
        try {
          check(isDeepStrictEqual(adversarial.shape, fixture.request.inputs.shape), `shape ${JSON.stringify(adversarial.shape)}, expected ${JSON.stringify(fixture.request.inputs.shape)}`);
          check(adversarial.dtype === 'float32', `dtype ${adversarial.dtype}, expected float32`);
          check(adversarial !== fixture.request.inputs, 'returned the request inputs themselves');
        } finally {
          if (adversarial !== fixture.request.inputs) adversarial.dispose();
          fixture.dispose();
        }
      },
    },
    {
      name: "stays inside the model's bounds and inside each sample's own ε ball",
      run: () => {
        const fixture = fixtureFor(seed);
        const [lower, upper] = fixture.model.bounds;
        const attack = makeAttack();
        const adversarial = attack.perturb(fixture.request);
        const original = fixture.request.inputs.arraySync();
        const epsilon = fixture.request.epsilon.arraySync();
        const result = adversarial.arraySync();
        adversarial.dispose();
        fixture.dispose();
        result.flat(3).forEach((value, index) => check(value >= lower && value <= upper, `value ${value} at ${index} is outside the bounds [${lower}, ${upper}]`));
        result.forEach((sample, index) => {
          const radius = epsilon[index] ?? Number.NaN;
          const before = original[index]?.flat(2) ?? [];
          const deltas = sample.flat(2).map((value, pixel) => value - (before[pixel] ?? Number.NaN));
          // L∞: every pixel within ε; L2: the whole perturbation's Euclidean length within ε
          const length = attack.norm === 'l2' ? Math.hypot(...deltas) : Math.max(0, ...deltas.map(Math.abs));
          check(length <= radius + tolerance, `sample ${index}: perturbation ${attack.norm} norm ${length} exceeds its ε ${radius}`);
        });
      },
    },
    {
      name: "neither mutates nor disposes the request's tensors",
      run: () => {
        const fixture = fixtureFor(seed);
        try {
          const { inputs, labels, epsilon } = fixture.request;
          const before = [inputs.arraySync(), labels.arraySync(), epsilon.arraySync()];
          makeAttack().perturb(fixture.request).dispose();
          check(!inputs.isDisposed && !labels.isDisposed && !epsilon.isDisposed, "disposed a tensor of the request");
          check(isDeepStrictEqual([inputs.arraySync(), labels.arraySync(), epsilon.arraySync()], before), "changed a tensor of the request");
          check(!fixture.model.trainableVariables().some((variable) => variable.isDisposed), "disposed a model variable");
        } finally {
          fixture.dispose();
        }
      },
    },
    {
      name: 'gives identical results for the same seed',
      run: () => {
        const fixture = fixtureFor(seed);
        const first = makeAttack().perturb(fixture.request);
        const second = makeAttack().perturb(fixture.request);
        const same = isDeepStrictEqual(second.arraySync(), first.arraySync());
        tf.dispose([first, second]);
        fixture.dispose();
        check(same, 'two attacks made the same way gave different results for the same request');
      },
    },
    {
      name: 'leaves no tensor alive besides its result',
      run: async () => {
        const fixture = fixtureFor(seed);
        const attack = makeAttack();
        try {
          await expectNoTensorLeak(() => attack.perturb(fixture.request).dispose(), `${name}.perturb`);
        } finally {
          fixture.dispose();
        }
      },
    },
    {
      name: usesObjective ? 'maximises request.objective when one is given, without leaking' : 'ignores request.objective (fixed criterion), without leaking',
      run: async () => {
        const fixture = fixtureFor(seed);
        let calls = 0;
        const objective: AttackObjective = (logits, labels) => {
          calls++;
          return tf.tidy(() => tf.neg(tf.sum(tf.mul(tf.oneHot(labels, logits.shape[1]), tf.logSoftmax(logits)), 1)) as tf.Tensor1D);
        };
        const attack = makeAttack();
        try {
          await expectNoTensorLeak(() => attack.perturb({ ...fixture.request, objective }).dispose(), `${name}.perturb`);
        } finally {
          fixture.dispose();
        }
        if (usesObjective) check(calls > 0, 'request.objective was never called');
        else check(calls === 0, `request.objective was called ${calls} times`);
      },
    },
    {
      name: `calls the model with training: ${modelMode === 'train'} only (${modelMode} mode)`,
      run: () => {
        let recorded: readonly boolean[] = [];
        const fixture = fixtureFor(seed, (model) => {
          const recorder = recordTrainingFlags(model);
          recorded = recorder.flags;
          return recorder.model;
        });
        makeAttack().perturb(fixture.request).dispose();
        fixture.dispose();
        check(recorded.length > 0, 'never called the model');
        const flags = [...new Set(recorded)];
        check(flags.length === 1 && flags[0] === (modelMode === 'train'), `called the model with training: ${flags.join(' and ')}`);
      },
    },
  ];
}
