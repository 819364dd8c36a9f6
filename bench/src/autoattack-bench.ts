import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { cliBin as cli, studyTorchScript } from './repository-paths.js';

// AutoAttack (standard: APGD-CE, APGD-T, FAB-T, Square) on a fixed set of images of a fixed small
// model (the epoch benchmark's trained arm): robustfair's `eval` next to the official
// implementation (fra31/auto-attack, not part of this repository: give its folder with
// --autoattack-dir or ROBUSTFAIR_AUTOATTACK_DIR) on the same exported weights and images. Both are
// timed as whole processes, start-up included (a few seconds on each side).

const officialScript = studyTorchScript('official_autoattack.py');

export interface AutoAttackBenchOptions {
  readonly arm: string;
  readonly config: string;
  readonly data: string;
  readonly perClass: number;
  readonly threads: number;
  readonly work: string;
  readonly python?: string;
  readonly autoattackDirectory?: string;
}

export interface AutoAttackBenchResult {
  readonly images: number;
  readonly robustfairSeconds: number;
  readonly officialSeconds?: number;
  /** Why there is no official run. */
  readonly skipped?: string;
}

function timed(command: string, args: string[], env: NodeJS.ProcessEnv, what: string): number {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  if (result.error) throw new Error(`${what}: could not start ${command}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}):\n${result.stderr.slice(-4000)}`);
  return (performance.now() - started) / 1000;
}

export function runAutoAttackBench(options: AutoAttackBenchOptions): AutoAttackBenchResult {
  const env = { ...process.env, ROBUSTFAIR_WASM_THREADS: String(options.threads), ROBUSTFAIR_BACKEND: 'wasm' };
  const attacks = JSON.stringify([{ preset: 'aa', perClass: options.perClass }]);
  const robustfairSeconds = timed(
    process.execPath,
    [cli, 'eval', options.config, '--weights', options.arm, '--out', path.join(options.work, 'runs'), '--backend', 'wasm', '--no-progress', '--force', '--set', `evaluation.attacks=${attacks}`],
    env,
    'robustfair eval (AutoAttack benchmark)',
  );
  const images = 10 * options.perClass;
  if (!options.python) return { images, robustfairSeconds, skipped: 'PyTorch not found (apt-get install python3-torch)' };
  if (!options.autoattackDirectory) return { images, robustfairSeconds, skipped: 'no official AutoAttack: give its folder with --autoattack-dir or ROBUSTFAIR_AUTOATTACK_DIR' };
  const weights = path.join(options.work, 'bench-epoch.safetensors');
  timed(process.execPath, [cli, 'export', options.arm, '--out', weights], env, 'robustfair export (AutoAttack benchmark)');
  const out = path.join(options.work, 'aa-official.json');
  writeFileSync(out, '');
  const officialSeconds = timed(
    options.python,
    [officialScript, '--autoattack-dir', options.autoattackDirectory, '--weights', weights, '--architecture', 'small-cnn', '--width', '32', '--epsilon', String(8 / 255), '--per-class', String(options.perClass), '--data', options.data, '--threads', String(options.threads), '--out', out],
    process.env,
    'official AutoAttack (AutoAttack benchmark)',
  );
  return { images, robustfairSeconds, officialSeconds };
}
