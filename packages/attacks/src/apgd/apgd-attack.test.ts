import { createAttackFixture, describeAttack } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { apgdCheckpoints } from './run-apgd.js';
import { createApgdAttack, createApgdTargetedAttack } from './apgd-attack.js';

describeAttack('apgd-ce', () => createApgdAttack({ steps: 6 }));
describeAttack('apgd-dlr (2 restarts)', () => createApgdAttack({ steps: 5, loss: 'dlr', restarts: 2 }));
describeAttack('apgd-ce (l2)', () => createApgdAttack({ steps: 5, norm: 'l2' }));
describeAttack('apgd-ce (eot 2)', () => createApgdAttack({ steps: 4, eotIterations: 2 }));
describeAttack('apgd-t', () => createApgdTargetedAttack({ steps: 4, targets: 3 }), { classes: 5 });

describe('apgdCheckpoints', () => {
  it('checks after 22, 41, 57, 70, 80, 87, 93 and 99 iterations for N = 100 (docs/methods/autoattack.md)', () => {
    expect(apgdCheckpoints(100)).toEqual([22, 41, 57, 70, 80, 87, 93, 99]);
  });

  it('keeps every interval at least 1 for tiny budgets', () => {
    // ⌊0.22·5⌋ = 1, decrease 1, minimum 1: a check after every iteration
    expect(apgdCheckpoints(5)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe(createApgdAttack, () => {
  it('names itself after its loss', () => {
    expect(createApgdAttack().id).toBe('apgd-ce');
    expect(createApgdAttack({ loss: 'dlr' }).id).toBe('apgd-dlr');
  });

  it('rejects the DLR loss on a model with fewer than 3 classes', () => {
    const fixture = createAttackFixture(0);
    const twoClass = { ...fixture.model, numClasses: 2 };
    expect(() => createApgdAttack({ loss: 'dlr', steps: 1 }).perturb({ ...fixture.request, model: twoClass })).toThrow(
      'apgd-dlr: the DLR loss needs at least 3 classes, but the model has 2',
    );
    fixture.dispose();
  });
});

describe(createApgdTargetedAttack, () => {
  it('rejects more targets than numClasses − 1, naming both', () => {
    const fixture = createAttackFixture(0, undefined, 5);
    expect(() => createApgdTargetedAttack({ steps: 1 }).perturb(fixture.request)).toThrow(
      'apgd-t: targets (9) must be at most numClasses − 1 (4); the model has 5 classes',
    );
    fixture.dispose();
  });

  it('rejects a model with fewer than 4 classes', () => {
    const fixture = createAttackFixture(0);
    expect(() => createApgdTargetedAttack({ steps: 1, targets: 2 }).perturb(fixture.request)).toThrow(/at least 4 classes, but the model has 3/);
    fixture.dispose();
  });

  it('does not leak when it throws', () => {
    const fixture = createAttackFixture(0);
    const before = tf.memory().numTensors;
    expect(() => createApgdTargetedAttack({ steps: 1, targets: 2 }).perturb(fixture.request)).toThrow();
    expect(tf.memory().numTensors).toBe(before);
    fixture.dispose();
  });
});
