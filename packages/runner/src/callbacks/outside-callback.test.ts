import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentSpec, type LoadedConfig } from '../config/load-config.js';
import { silentReporter } from '../progress/progress-reporter.js';
import { runExperiments } from '../run-experiments.js';

// Issue 15: a callback from a config's `plugins` is selected by `callbacks` and runs like the
// built-ins. The plugin file is written inside the runner package (so its `zod` import resolves
// as a user's would from an installation) and records every epoch it sees, and the end.
const plugin = `import { z } from 'zod';
import { appendFileSync } from 'node:fs';
export default [
  {
    kind: 'callback',
    id: 'epoch-recorder',
    specificationVersion: 'v1',
    summary: 'appends each epoch record to a file',
    optionsSchema: z.strictObject({ file: z.string(), tag: z.string().default('run') }),
    create: ({ file, tag }) => ({
      id: 'epoch-recorder',
      onEpochEnd: ({ epoch, record }) => appendFileSync(file, JSON.stringify({ tag, epoch, learningRate: record.learningRate, knobs: record.knobs }) + '\\n'),
      onTrainEnd: () => appendFileSync(file, JSON.stringify({ tag, end: true }) + '\\n'),
    }),
  },
];
`;

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(fileURLToPath(new URL('../..', import.meta.url)), '.outside-callback-'));
  await writeFile(path.join(directory, 'epoch-recorder.js'), plugin);
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

const config = (extra: Record<string, unknown>): LoadedConfig => {
  const raw = {
    name: 'outside-callback',
    seed: 3,
    plugins: ['./epoch-recorder.js'],
    dataset: { id: 'synthetic', options: { numClasses: 3, imageSize: 6, trainPerClass: 4, validationPerClass: 0, testPerClass: 2 } },
    model: { id: 'small-cnn', options: { width: 2 } },
    trainingAttack: { id: 'pgd', options: { steps: 1 } },
    fairness: { id: 'class-reweight' },
    training: { epochs: 2, batchSize: 6, optimizer: { learningRate: 0.05 }, schedule: { type: 'multistep', milestones: [1], factor: 0.1 } },
    evaluation: { batchSize: 6, attacks: [{ name: 'pgd1', attack: { id: 'pgd', options: { steps: 1 } } }] },
    ...extra,
  };
  return { file: path.join(directory, 'robustfair.config.json'), raw, spec: parseExperimentSpec(raw) };
};

describe('an outside callback plugin', () => {
  it('runs when a config selects it, seeing each epoch record (knobs, learning rate), then the end', async () => {
    const log = path.join(directory, 'epochs.jsonl');
    const comparison = await runExperiments(config({ callbacks: [{ id: 'epoch-recorder', options: { file: log } }] }), {
      out: path.join(directory, 'out'),
      reporter: silentReporter,
    });
    const lines = (await readFile(log, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const [arm] = comparison.arms;
    const epochs = arm!.training.epochs;
    // The multistep schedule gives 0.05, then 0.05 × 0.1 from epoch 1.
    expect(lines).toEqual([
      { tag: 'run', epoch: 0, learningRate: 0.05, knobs: epochs[0]!.knobs },
      { tag: 'run', epoch: 1, learningRate: 0.05 * 0.1, knobs: epochs[1]!.knobs },
      { tag: 'run', end: true },
    ]);
    expect(arm!.resolvedOptions['callbacks.0']).toEqual({ id: 'epoch-recorder', options: { file: log, tag: 'run' } });
    expect(arm!.training.monitor).toBeUndefined();
  }, 120_000);

  it('is validated like any plugin choice: an unknown id or a bad option fails before training', async () => {
    const out = path.join(directory, 'refused');
    await expect(runExperiments(config({ callbacks: [{ id: 'epoch-recorderr' }] }), { out, reporter: silentReporter })).rejects.toThrow(
      /callbacks\.0\.id: unknown callback 'epoch-recorderr'; allowed: 'checkpoint-selection', 'weight-averaging', 'epoch-recorder'/,
    );
    await expect(runExperiments(config({ callbacks: [{ id: 'epoch-recorder', options: { tag: 1 } }] }), { out, reporter: silentReporter })).rejects.toThrow(/callbacks\.0\.options\.file/);
    await expect(
      runExperiments(config({ selection: { rule: 'average' }, callbacks: [{ id: 'checkpoint-selection' }] }), { out, reporter: silentReporter }),
    ).rejects.toThrow(/callback 'checkpoint-selection' is configured twice/);
  });
});
