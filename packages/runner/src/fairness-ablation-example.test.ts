import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandAblation, parseAxis } from './config/expand-ablation.js';
import { loadConfig, parseExperimentSpec, type LoadedConfig } from './config/load-config.js';
import { createRootContainer } from './di/root-container.js';
import { specRegistries, validateSpecPlugins } from './di/validate-spec.js';
import { silentReporter } from './progress/progress-reporter.js';
import { runExperiments } from './run-experiments.js';
import { armsOf } from './run/prepare.js';

// examples/fairness-ablation: a YAML base config and the ablate command its README documents.
// The axes are read from the README itself, so the documented command and the config cannot drift.
const example = fileURLToPath(new URL('../../../examples/fairness-ablation/', import.meta.url));
const baseFile = path.join(example, 'base.yaml');

let readme: string;
let axes: ReturnType<typeof parseAxis>[];
let out: string;
beforeAll(async () => {
  readme = await readFile(path.join(example, 'README.md'), 'utf8');
  const command = /^robustfair ablate base\.yaml (.+)$/m.exec(readme);
  if (!command) throw new Error('examples/fairness-ablation/README.md must show `robustfair ablate base.yaml …`');
  const flags = command[1]!.split(/\s+/);
  axes = [];
  for (let index = 0; index < flags.length; index += 2) {
    const [flag, value] = [flags[index], flags[index + 1]!];
    if (flag === '--axis') axes.push(parseAxis(value));
    else if (flag === '--seeds') axes.push(parseAxis(`seed=${value}`));
    else throw new Error(`unexpected flag ${flag} in the README's ablate command`);
  }
  out = await mkdtemp(path.join(os.tmpdir(), 'robustfair-fairness-ablation-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('examples/fairness-ablation', () => {
  it('base.yaml loads: YAML values as in the file, $schema ignored, defaults filled', async () => {
    const config = await loadConfig(baseFile);
    const { $schema, ...written } = parseYaml(await readFile(baseFile, 'utf8')) as Record<string, unknown>;
    expect($schema).toBe('../../packages/runner/schema/robustfair.config.schema.json');
    expect(config.raw).toEqual(written);
    expect(config.compare).toBeUndefined();
    expect(config.spec.training.epsilon).toBe(8 / 255);
    expect(config.spec.trainingAttack).toEqual({ id: 'pgd', options: { steps: 5, stepSize: '2/255', init: 'uniform' } });
    expect(config.spec.dataset.options).toMatchObject({ validationPerClass: 20 }); // frl-reweight needs a validation split
  });

  it("expands the README's command into 6 arms, 3 methods × 2 seeds, labelled method-seedN, each otherwise the base", async () => {
    const config = await loadConfig(baseFile);
    const arms = armsOf({ ...config, compare: expandAblation(axes) });
    expect(arms.map((arm) => arm.label)).toEqual([
      'identity-seed0',
      'identity-seed1',
      'class-reweight-seed0',
      'class-reweight-seed1',
      'frl-reweight-seed0',
      'frl-reweight-seed1',
    ]);
    expect(arms.map((arm) => [arm.spec.fairness.id, arm.spec.seed])).toEqual([
      ['identity', 0],
      ['identity', 1],
      ['class-reweight', 0],
      ['class-reweight', 1],
      ['frl-reweight', 0],
      ['frl-reweight', 1],
    ]);
    for (const arm of arms) {
      expect({ ...arm.spec, fairness: config.spec.fairness, seed: config.spec.seed }).toEqual(config.spec);
    }
    const registries = specRegistries(createRootContainer({ reporter: silentReporter }));
    for (const arm of arms) validateSpecPlugins(arm.spec, registries, `arm '${arm.label}'`);
  });

  it("the README's variations validate too (other methods, JSON axis values, a file that extends base.yaml)", async () => {
    const config = await loadConfig(baseFile);
    const registries = specRegistries(createRootContainer({ reporter: silentReporter }));
    const variations = [
      [parseAxis('fairness.id=identity,cfa-ccr,wat')],
      [parseAxis('fairness=[{"id":"identity"},{"id":"class-reweight","options":{"power":2}}]')],
      [axes[0]!, parseAxis('training.epsilon=4/255,8/255')],
    ];
    const counts = variations.map((variation) => {
      const arms = armsOf({ ...config, compare: expandAblation(variation) });
      for (const arm of arms) validateSpecPlugins(arm.spec, registries, `arm '${arm.label}'`);
      return arms.length;
    });
    expect(counts).toEqual([3, 2, 6]);

    const snippet = /```yaml\n(extends: \.\/base\.yaml[^\n]*\n[\s\S]*?)```/.exec(readme.replace(/^ {2}/gm, ''));
    expect(snippet, 'the README shows a YAML file that extends ./base.yaml').not.toBeNull();
    const directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-extends-'));
    try {
      const child = path.join(directory, 'long.yaml');
      await writeFile(child, snippet![1]!.replace('./base.yaml', path.relative(directory, baseFile)));
      const long = await loadConfig(child);
      expect(long.spec.name).toBe('fairness-ablation-long');
      expect(long.spec.training).toEqual({ ...config.spec.training, epochs: 30 });
      expect(long.spec.evaluation.attacks).toEqual(['pgd20', 'cw']);
      validateSpecPlugins(long.spec, registries);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('every arm trains for one tiny epoch and lands in its own directory', async () => {
    const config = await loadConfig(baseFile);
    const raw = {
      ...config.raw,
      dataset: { id: 'synthetic', options: { numClasses: 3, imageSize: 8, trainPerClass: 6, validationPerClass: 3, testPerClass: 4 } },
      model: { id: 'small-cnn', options: { width: 2 } },
      trainingAttack: { id: 'pgd', options: { steps: 1 } },
      training: { epochs: 1, batchSize: 9 },
      evaluation: { batchSize: 12, attacks: [{ preset: 'pgd20', overrides: { steps: 1 } }] },
    };
    const tiny: LoadedConfig = { file: config.file, raw, spec: parseExperimentSpec(raw), compare: expandAblation(axes) };
    const result = await runExperiments(tiny, { out, reporter: silentReporter, backend: 'wasm' });
    expect(result.arms.map((arm) => [arm.label, arm.seed, arm.resolvedOptions['fairness']?.id])).toEqual([
      ['identity-seed0', 0, 'identity'],
      ['identity-seed1', 1, 'identity'],
      ['class-reweight-seed0', 0, 'class-reweight'],
      ['class-reweight-seed1', 1, 'class-reweight'],
      ['frl-reweight-seed0', 0, 'frl-reweight'],
      ['frl-reweight-seed1', 1, 'frl-reweight'],
    ]);
    expect(result.directory).toBe(path.join(out, 'fairness-ablation'));
  }, 300_000);
});
