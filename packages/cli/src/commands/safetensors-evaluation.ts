import path from 'node:path';
import { applyOverrides, parseExperimentSpec, type LoadedConfig } from '@robustfair/runner';
import { loadWithFlags, type CommonFlags } from './common-options.js';

/**
 * What `eval --weights FILE.safetensors` evaluates with when no config is given: CIFAR-10's test
 * split (ROBUSTFAIR_CIFAR10_DIR) under FGSM, PGD-20 and CW∞ at 8/255. `--set` changes any of it
 * (another dataset, model options, attacks).
 */
const defaultEvaluation = {
  dataset: { id: 'cifar10' },
  training: { epochs: 1 },
  evaluation: { attacks: ['fgsm', 'pgd20', 'cw'] },
};

/**
 * The config of a safetensors evaluation: the given config (its model replaced by `--model` when
 * given) or the default above with `--model` (required then), named after the file; `--seed` and
 * `--set` apply last, as for every command.
 */
export async function loadSafetensorsEvaluation(file: string | undefined, weights: string, flags: CommonFlags & { model?: string }): Promise<LoadedConfig> {
  const model = flags.model === undefined ? [] : [`model=${JSON.stringify({ id: flags.model })}`];
  if (file) return loadWithFlags(file, { ...flags, set: [...model, ...flags.set] });
  if (flags.model === undefined) throw new Error('eval --weights FILE.safetensors needs --model <id> (the architecture) or a config file');
  const overrides = [...model, ...(flags.seed === undefined ? [] : [`seed=${flags.seed}`]), ...flags.set];
  const raw = applyOverrides({ name: path.basename(weights, '.safetensors').replace(/[^\w.-]/g, '_').replace(/^\.+/, '') || 'weights', ...defaultEvaluation }, overrides);
  return { file: path.resolve(weights), raw, spec: parseExperimentSpec(raw, `eval --weights ${weights}`) };
}
