import { parseExperimentSpec } from '@robustfair/runner';
import { describe, expect, it } from 'vitest';
import { armJobId } from './arm-job-id.js';

const spec = (seed: number) =>
  parseExperimentSpec({
    name: 'ids',
    seed,
    dataset: { id: 'synthetic', options: { numClasses: 2, imageSize: 4, trainPerClass: 2, testPerClass: 1 } },
    model: { id: 'small-cnn', options: { width: 1 } },
    training: { epochs: 1, batchSize: 2 },
    evaluation: { batchSize: 2, attacks: ['fgsm'] },
  });

describe(armJobId, () => {
  it('is the same for the same arm in the same directory, whatever the label', () => {
    const a = armJobId({ arm: { label: 'a', spec: spec(0) }, armDirectory: '/shared/runs/ids/a' });
    expect(a).toMatch(/^arm-[0-9a-f]{40}$/);
    expect(armJobId({ arm: { label: 'b', spec: spec(0) }, armDirectory: '/shared/runs/ids/a/' })).toBe(a);
  });
  it('differs with the seed, the spec or the results directory', () => {
    const a = armJobId({ arm: { label: 'a', spec: spec(0) }, armDirectory: '/shared/runs/ids/a' });
    expect(armJobId({ arm: { label: 'a', spec: spec(1) }, armDirectory: '/shared/runs/ids/a' })).not.toBe(a);
    expect(armJobId({ arm: { label: 'a', spec: { ...spec(0), training: { ...spec(0).training, epochs: 7 } } }, armDirectory: '/shared/runs/ids/a' })).not.toBe(a);
    expect(armJobId({ arm: { label: 'a', spec: spec(0) }, armDirectory: '/other/runs/ids/a' })).not.toBe(a);
  });
});
