import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cliBin as cli, studyTorchScript } from './repository-paths.js';

// A whole SAT epoch, end to end: robustfair's `train` (data loading, augmentation, 5-step PGD,
// read-backs, per-batch overhead) next to the study's PyTorch reference script training the same
// arm from its result.json, on the same files, with the same thread count. Step benchmarks can
// hide the cost around the steps; this one cannot.

const referenceArm = studyTorchScript('reference_arm.py');

export interface EpochBenchOptions {
  /** A CIFAR-10 binary directory with at least `perClass` training images of each class. */
  readonly data: string;
  readonly perClass: number;
  /** Test images per class (the AutoAttack benchmark attacks all of them). */
  readonly testPerClass: number;
  readonly threads: number;
  readonly work: string;
  /** Python with torch; no reference run without it. */
  readonly python?: string;
}

export interface EpochBenchResult {
  readonly images: number;
  /** Training seconds as each side records them (robustfair's result.json, the reference's wallSeconds.training). */
  readonly robustfairSeconds: number;
  readonly torchSeconds?: number;
  /** The trained arm's directory (the AutoAttack benchmark evaluates its weights). */
  readonly arm: string;
  readonly config: string;
}

/** The arm: the small CNN of the step benchmarks, SAT with 5-step PGD, batch 128, crop and flip, one epoch. */
function epochConfig(data: string, perClass: number, testPerClass: number): object {
  return {
    name: 'bench-epoch',
    seed: 0,
    dataset: { id: 'cifar10', options: { directory: data, subset: { perClass, testPerClass }, augmentation: { crop: { padding: 4 }, flip: true } } },
    model: { id: 'small-cnn', options: { width: 32 } },
    objective: { id: 'sat' },
    trainingAttack: { id: 'pgd', options: { steps: 5, stepSize: 2 / 255, init: 'uniform', modelMode: 'eval', objective: 'cross-entropy' } },
    training: { epochs: 1, batchSize: 128, epsilon: 8 / 255, optimizer: { learningRate: 0.1, momentum: 0.9, weightDecay: 0.0005, nesterov: false } },
    evaluation: { split: 'test', batchSize: 100, epsilon: 8 / 255, attacks: [] },
  };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, what: string): void {
  const result = spawnSync(command, args, { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  if (result.error) throw new Error(`${what}: could not start ${command}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}):\n${result.stderr.slice(-4000)}`);
}

export function runEpochBench(options: EpochBenchOptions): EpochBenchResult {
  const config = path.join(options.work, 'bench-epoch.json');
  writeFileSync(config, JSON.stringify(epochConfig(options.data, options.perClass, options.testPerClass), null, 2));
  const out = path.join(options.work, 'runs');
  const env = { ...process.env, ROBUSTFAIR_WASM_THREADS: String(options.threads), ROBUSTFAIR_BACKEND: 'wasm' };
  run(process.execPath, [cli, 'train', config, '--out', out, '--backend', 'wasm', '--no-progress'], env, 'robustfair train (epoch benchmark)');
  const arm = path.join(out, 'bench-epoch', 'bench-epoch');
  const result = JSON.parse(readFileSync(path.join(arm, 'result.json'), 'utf8')) as { training: { seconds: number } };
  const images = 10 * options.perClass;
  if (!options.python) return { images, robustfairSeconds: result.training.seconds, arm, config };
  const reference = path.join(options.work, 'torch-epoch.json');
  run(options.python, [referenceArm, '--result', path.join(arm, 'result.json'), '--seed', '0', '--data', options.data, '--threads', String(options.threads), '--out', reference], process.env, 'reference_arm.py (epoch benchmark)');
  const torch = JSON.parse(readFileSync(reference, 'utf8')) as { wallSeconds: { training: number } };
  return { images, robustfairSeconds: result.training.seconds, torchSeconds: torch.wallSeconds.training, arm, config };
}
