import { createAttackFixture, describeAttack } from '@robustfair/testkit';
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

  it('rejects 9 targets on a 5-class model before doing any work, naming both numbers', () => {
    const fixture = createAttackFixture(0, undefined, 5);
    expect(() => createAutoAttack({ steps: 1 }).perturb(fixture.request)).toThrow(/targets \(9\) must be at most numClasses − 1 \(4\)/);
    fixture.dispose();
  });
});
