import { createAttackFixture, describeAttack } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { autoAttackStages, createAutoAttack } from './auto-attack.js';

const reduced = { steps: 4, targets: 2, squareQueries: 10 } as const;

describeAttack('autoattack (standard, reduced budgets)', () => createAutoAttack(reduced), { classes: 5 });
describeAttack('autoattack (rand, reduced budgets)', () => createAutoAttack({ version: 'rand', steps: 3, eotIterations: 2 }));

describe(createAutoAttack, () => {
  it('runs APGD-CE, APGD-T, FAB-T and Square in that order (standard), APGD-CE and APGD-DLR (rand)', () => {
    expect(autoAttackStages().map((attack) => attack.id)).toEqual(['apgd-ce', 'apgd-t', 'fab-t', 'square']);
    expect(autoAttackStages({ version: 'rand' }).map((attack) => attack.id)).toEqual(['apgd-ce', 'apgd-dlr']);
  });

  it('reports its stages and APGD iterations through onProgress while perturb runs, without changing the result', () => {
    const fixture = createAttackFixture(0, undefined, 5);
    const attack = createAutoAttack({ steps: 26, targets: 2, squareQueries: 10 });
    const steps: string[] = [];
    const reported = attack.perturb({ ...fixture.request, onProgress: ({ step }) => steps.push(step) });
    const silent = attack.perturb(fixture.request);
    expect(Array.from(reported.dataSync())).toEqual(Array.from(silent.dataSync()));
    expect(steps[0]).toMatch(/^autoattack-standard stage 1\/4 apgd-ce \(\d+ robust\): apgd-ce iteration 5\/26$/);
    expect(steps).toContainEqual(expect.stringMatching(/^autoattack-standard stage 1\/4 apgd-ce \(\d+ robust\) done$/));
    tf.dispose([reported, silent]);
    fixture.dispose();
  });

  it('rejects 9 targets on a 5-class model before doing any work, naming both numbers', () => {
    const fixture = createAttackFixture(0, undefined, 5);
    expect(() => createAutoAttack({ steps: 1 }).perturb(fixture.request)).toThrow(/targets \(9\) must be at most numClasses − 1 \(4\)/);
    fixture.dispose();
  });
});
