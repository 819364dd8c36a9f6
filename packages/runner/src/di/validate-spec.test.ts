import { describe, expect, it } from 'vitest';
import { parseExperimentSpec } from '../config/load-config.js';
import { createRootContainer } from './root-container.js';
import { specRegistries, validateSpecPlugins } from './validate-spec.js';

// `robustfair validate` without --allow-plugins does not import a config's outside plugins, so
// the ids they would register are listed as unchecked instead of failing; everything else is
// still checked.
const spec = parseExperimentSpec({
  dataset: { id: 'synthetic' },
  model: { id: 'small-cnn' },
  training: { epochs: 1 },
  fairness: { id: 'my-strategy' },
  evaluation: { attacks: [{ name: 'mine', attack: { id: 'my-attack' } }, 'pgd20'] },
  selection: { rule: 'average', attack: { name: 'pick', attack: { id: 'my-attack' } } },
});
const registries = specRegistries(createRootContainer());

describe(validateSpecPlugins, () => {
  it('fails on an unknown id by default', () => {
    expect(() => validateSpecPlugins(spec, registries)).toThrow(/fairness\.id: unknown fairness-strategy 'my-strategy'/);
  });

  it('lists unknown ids when asked to, and still checks the known plugins', () => {
    const unchecked: string[] = [];
    validateSpecPlugins(spec, registries, 'config', { unchecked });
    expect(unchecked).toEqual(["fairness 'my-strategy'", "evaluation.attacks.0.attack 'my-attack'", "selection.attack.attack 'my-attack'"]);
    const bad = parseExperimentSpec({ ...spec, trainingAttack: { id: 'pgd', options: { steps: -1 } } });
    expect(() => validateSpecPlugins(bad, registries, 'config', { unchecked: [] })).toThrow(/trainingAttack\.options\.steps/);
  });
});
